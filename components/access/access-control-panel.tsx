'use client';

import { Alert, Button, Flex, Heading, Link, Text } from '@aws-amplify/ui-react';
import NextLink from 'next/link';
import { lazy, Suspense, useEffect, useState, useTransition } from 'react';
import { type ActionState, idleState } from '@/lib/action-state';
import type { MemberRow } from '@/lib/members';
import { fixAccessLevelAction, resendInviteAction } from '@/server/actions/members';
import styles from './access-control-panel.module.css';
import { DeleteMembersDialog } from './delete-members-dialog';
import { EditMembersDialog } from './edit-members-dialog';
import { EnableMembersDialog } from './enable-members-dialog';
import { totalText } from './format';
import { ActionResultAlert } from './item-results';
import { type MemberFilterValues, MembersFilters } from './members-filters';
import { MembersTable } from './members-table';
import type { TrailLinks } from './token-trail';
import { TrailPagination } from './trail-pagination';

type OpenDialog = 'invite' | 'edit' | 'delete' | 'disable' | 'enable' | null;

// The invite dialog (and the address parser it shares with the server, with zod) loads when first
// wanted, not with the page: fetched on hover or focus of "Add team members", shown on click.
const loadInviteDialog = () => import('./invite-dialog');
const InviteDialog = lazy(() => loadInviteDialog().then((module) => ({ default: module.InviteDialog })));

/**
 * Everything below the page header: the result of the last action, the "Team members" container
 * (actions, filters, table, pages) and its dialogs. Manage-only members get the same table with no
 * way to change anything, and a note saying why.
 */
export function AccessControlPanel({
  members,
  canManage,
  currentUsername,
  filters,
  pagination,
  total,
  order,
}: {
  members: MemberRow[];
  /** How many members (or matches) there are, when known; `exact: false` for the pool's estimate. */
  total?: { count: number; exact: boolean; filtered: boolean };
  /** 'listing': rows come in Cognito's order, page by page; 'email': sorted by email. */
  order: 'email' | 'listing';
  canManage: boolean;
  currentUsername: string;
  filters: MemberFilterValues;
  pagination: TrailLinks;
}) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [result, setResult] = useState<ActionState>(idleState);
  const [busy, setBusy] = useState<string | null>(null);
  const [inviteWanted, setInviteWanted] = useState(false);
  const [, startTransition] = useTransition();

  // A new page, filter or refresh after an action: keep only selections still on screen.
  useEffect(() => {
    setSelected((previous) => {
      const onPage = new Set(members.map((member) => member.username));
      const kept = [...previous].filter((username) => onPage.has(username));
      return kept.length === previous.size ? previous : new Set(kept);
    });
  }, [members]);

  const selectedMembers = members.filter((member) => selected.has(member.username));
  const anyEnabled = selectedMembers.some((member) => member.enabled);
  const anyDisabled = selectedMembers.some((member) => !member.enabled);
  const filtered = Boolean(filters.q || filters.level || filters.status);

  const finish = (state: ActionState) => {
    setDialog(null);
    setResult(state);
    if (state.status === 'success') setSelected(new Set());
  };

  const runRowCommand = (
    member: MemberRow,
    action: typeof resendInviteAction,
    fields: Record<string, string>,
  ) => {
    setBusy(member.username);
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    startTransition(async () => {
      try {
        setResult(await action(idleState, form));
      } catch {
        setResult({ status: 'error', message: 'Studio Access did not answer. Try again in a moment.' });
      } finally {
        setBusy(null);
      }
    });
  };

  return (
    <>
      <ActionResultAlert state={result} onDismiss={() => setResult(idleState)} />
      {canManage ? null : (
        <Alert
          variation="info"
          role="note"
          hasIcon
          isDismissible={false}
          marginBottom="medium"
          heading="Read-only"
        >
          You have Manage only access: you can see the team, but only Full-access members can invite, edit or
          delete team members.
        </Alert>
      )}
      <section className={styles.container} aria-labelledby="team-members-heading">
        <Flex
          className={styles.header}
          justifyContent="space-between"
          alignItems="center"
          wrap="wrap"
          gap="small"
        >
          <Flex direction="column" gap="xxxs">
            <Heading level={2} fontSize="large" fontWeight="bold" id="team-members-heading">
              Team members{' '}
              {total ? (
                <Text as="span" fontWeight="normal" color="font.secondary" testId="members-total">
                  ({totalText(total)})
                </Text>
              ) : null}
            </Heading>
            <Text as="span" fontSize="small" color="font.secondary">
              {canManage
                ? selectedMembers.length > 0
                  ? `${selectedMembers.length} selected`
                  : 'Select members to edit, disable or delete them.'
                : 'Invited and active members of this Studio.'}
            </Text>
            {order === 'listing' && members.length > 0 ? (
              <Text as="span" fontSize="small" color="font.secondary" testId="members-order">
                Too many to sort here: members are listed in the order Cognito keeps them, not by email.
                Search by email to find someone.
              </Text>
            ) : null}
          </Flex>
          {canManage ? (
            <Flex gap="xs" wrap="wrap">
              <Button
                size="small"
                isDisabled={selectedMembers.length === 0}
                onClick={() => setDialog('edit')}
              >
                Edit
              </Button>
              <Button size="small" isDisabled={!anyEnabled} onClick={() => setDialog('disable')}>
                Disable
              </Button>
              <Button size="small" isDisabled={!anyDisabled} onClick={() => setDialog('enable')}>
                Enable
              </Button>
              <Button
                size="small"
                isDisabled={selectedMembers.length === 0}
                onClick={() => setDialog('delete')}
              >
                Delete
              </Button>
              <Button
                size="small"
                variation="primary"
                onPointerEnter={() => void loadInviteDialog()}
                onFocus={() => void loadInviteDialog()}
                onClick={() => {
                  setInviteWanted(true);
                  setDialog('invite');
                }}
              >
                Add team members
              </Button>
            </Flex>
          ) : null}
        </Flex>
        <MembersFilters key={JSON.stringify(filters)} values={filters} />
        <MembersTable
          members={members}
          currentUsername={currentUsername}
          selection={
            canManage
              ? {
                  selected,
                  toggle: (username, checked) =>
                    setSelected((previous) => {
                      const next = new Set(previous);
                      if (checked) next.add(username);
                      else next.delete(username);
                      return next;
                    }),
                  toggleAll: (checked) =>
                    setSelected(checked ? new Set(members.map((member) => member.username)) : new Set()),
                }
              : undefined
          }
          commands={
            canManage
              ? {
                  busy,
                  onResend: (member) =>
                    runRowCommand(member, resendInviteAction, { username: member.username }),
                  onFix: (member) =>
                    runRowCommand(member, fixAccessLevelAction, {
                      username: member.username,
                      accessLevel: 'manage',
                    }),
                }
              : undefined
          }
          empty={
            pagination.next !== undefined ? (
              <Text>
                None on this stretch of the list. <strong>Next</strong> searches further.
              </Text>
            ) : filtered ? (
              <Text>
                No team members match.{' '}
                <Link as={NextLink} href="/settings/access">
                  Clear the filters
                </Link>
              </Text>
            ) : (
              <Text>No team members on this page.</Text>
            )
          }
        />
        <Flex className={styles.footer} justifyContent="flex-end">
          <TrailPagination path="/settings/access" links={pagination} label="Team members pages" />
        </Flex>
      </section>
      {canManage ? (
        <>
          {inviteWanted ? (
            <Suspense fallback={null}>
              <InviteDialog open={dialog === 'invite'} onClose={() => setDialog(null)} />
            </Suspense>
          ) : null}
          <EditMembersDialog
            open={dialog === 'edit'}
            members={selectedMembers}
            onClose={() => setDialog(null)}
            onDone={finish}
          />
          {(['disable', 'enable'] as const).map((mode) => (
            <EnableMembersDialog
              key={mode}
              mode={mode}
              open={dialog === mode}
              members={selectedMembers.filter((member) => member.enabled === (mode === 'disable'))}
              currentUsername={currentUsername}
              onClose={() => setDialog(null)}
              onDone={finish}
            />
          ))}
          <DeleteMembersDialog
            open={dialog === 'delete'}
            members={selectedMembers}
            currentUsername={currentUsername}
            onClose={() => setDialog(null)}
            onDone={finish}
          />
        </>
      ) : null}
    </>
  );
}
