'use client';

import {
  Badge,
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Text,
  VisuallyHidden,
} from '@aws-amplify/ui-react';
import type { ReactNode } from 'react';
import { EmailAddress } from '@/components/email-address';
import type { MemberRow } from '@/lib/members';
import { formatDay, formatDayTime, formatLastChange } from './format';
import { AccessLevelBadge, StatusBadge } from './member-badges';
import { type MemberStatusView, memberStatusView } from './member-status';
import styles from './members-table.module.css';
import { SelectCheckbox } from './select-checkbox';

export interface RowCommands {
  onResend: (member: MemberRow) => void;
  onFix: (member: MemberRow) => void;
  /** The username a row command is running for, if any. */
  busy: string | null;
}

/**
 * The members on this page. With `selection`, each row has a checkbox ("Select <email>") and the
 * header one for the whole page; without it (Manage only) the table is read-only.
 *
 * On a wide screen it is a table; on a phone each row becomes a card (CSS grid). The explicit ARIA
 * roles keep it a table for assistive technology whatever `display` the cells get.
 */
export function MembersTable({
  members,
  currentUsername,
  selection,
  commands,
  empty,
}: {
  members: MemberRow[];
  currentUsername: string;
  selection?: {
    selected: ReadonlySet<string>;
    toggle: (username: string, checked: boolean) => void;
    toggleAll: (checked: boolean) => void;
  };
  commands?: RowCommands;
  empty: ReactNode;
}) {
  const selectedOnPage = selection ? members.filter((m) => selection.selected.has(m.username)).length : 0;
  const allSelected = members.length > 0 && selectedOnPage === members.length;
  return (
    // Scrolls sideways inside its own box on mid-size screens; the page itself never does.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className={styles.scroller} aria-label="Team members table" tabIndex={0}>
      <Table
        role="table"
        size="small"
        highlightOnHover
        className={`${styles.table} ${selection ? styles.selectable : styles.readOnly}`}
      >
        <TableHead role="rowgroup">
          <TableRow role="row">
            {selection ? (
              <TableCell as="th" role="columnheader" className={styles.check} scope="col">
                <SelectCheckbox
                  label="Select all on this page"
                  checked={allSelected}
                  indeterminate={selectedOnPage > 0 && !allSelected}
                  disabled={members.length === 0}
                  onChange={selection.toggleAll}
                />
                <span className={styles.selectAllText} aria-hidden="true">
                  Select all
                </span>
              </TableCell>
            ) : null}
            <TableCell as="th" role="columnheader" scope="col" className={styles.heading}>
              Email
            </TableCell>
            <TableCell as="th" role="columnheader" scope="col" className={styles.heading}>
              Access level
            </TableCell>
            <TableCell as="th" role="columnheader" scope="col" className={styles.heading}>
              Status
            </TableCell>
            <TableCell as="th" role="columnheader" scope="col" className={styles.heading}>
              Invited / last changed
            </TableCell>
            {commands ? (
              <TableCell as="th" role="columnheader" scope="col" className={styles.heading}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </TableCell>
            ) : null}
          </TableRow>
        </TableHead>
        <TableBody role="rowgroup">
          {members.length === 0 ? (
            <TableRow role="row">
              <TableCell
                role="cell"
                colSpan={(selection ? 1 : 0) + (commands ? 5 : 4)}
                className={styles.empty}
              >
                {empty}
              </TableCell>
            </TableRow>
          ) : (
            members.map((member) => (
              <MemberTableRow
                key={member.username}
                member={member}
                isSelf={member.username === currentUsername}
                selection={selection}
                commands={commands}
              />
            ))
          )}
        </TableBody>
      </Table>
    </section>
  );
}

function MemberTableRow({
  member,
  isSelf,
  selection,
  commands,
}: {
  member: MemberRow;
  isSelf: boolean;
  selection?: { selected: ReadonlySet<string>; toggle: (username: string, checked: boolean) => void };
  commands?: RowCommands;
}) {
  const view = memberStatusView(member);
  const checked = selection?.selected.has(member.username) ?? false;
  const changed = formatLastChange(member.createdAt, member.lastChangedAt);
  return (
    <TableRow role="row" data-selected={checked || undefined} className={styles.row}>
      {selection ? (
        <TableCell role="cell" className={styles.check}>
          <SelectCheckbox
            label={`Select ${member.email}`}
            checked={checked}
            onChange={(value) => selection.toggle(member.username, value)}
          />
        </TableCell>
      ) : null}
      <TableCell as="th" role="rowheader" scope="row" className={styles.email}>
        <EmailAddress className={styles.address} address={member.email} />
        {isSelf ? (
          <Badge size="small" className={styles.you}>
            You
          </Badge>
        ) : null}
      </TableCell>
      <TableCell role="cell" className={styles.level}>
        <AccessLevelBadge level={member.accessLevel} />
        {commands && view.fixable ? <FixButton member={member} commands={commands} /> : null}
      </TableCell>
      <TableCell role="cell" className={styles.status}>
        <StatusBadge label={view.label} tone={view.tone} />
        {view.detail ? (
          <span className={styles.statusDetail} title={view.detail}>
            {view.detail}
          </span>
        ) : null}
      </TableCell>
      <TableCell role="cell" className={styles.date}>
        <Text as="span" display="block" fontSize="small">
          Invited{' '}
          <time dateTime={member.createdAt} title={formatDayTime(member.createdAt)}>
            {formatDay(member.createdAt)}
          </time>
          {member.invitedBy ? (
            <>
              {' '}
              by <EmailAddress address={member.invitedBy} />
            </>
          ) : null}
        </Text>
        {changed ? (
          <Text as="span" display="block" fontSize="small" color="font.secondary">
            Changed{' '}
            <time dateTime={member.lastChangedAt} title={formatDayTime(member.lastChangedAt)}>
              {changed}
            </time>
          </Text>
        ) : null}
      </TableCell>
      {commands ? (
        <TableCell role="cell" className={styles.actions}>
          <RowActions member={member} view={view} commands={commands} />
        </TableCell>
      ) : null}
    </TableRow>
  );
}

function RowActions({
  member,
  view,
  commands,
}: {
  member: MemberRow;
  view: MemberStatusView;
  commands: RowCommands;
}) {
  if (!view.resendable) return null;
  return (
    <Button
      size="small"
      onClick={() => commands.onResend(member)}
      isLoading={commands.busy === member.username}
      loadingText="Sending…"
      isDisabled={commands.busy !== null}
    >
      Resend invite<VisuallyHidden> to {member.email}</VisuallyHidden>
    </Button>
  );
}

/** One click puts a member who is in no access group into Manage only (the least access). */
function FixButton({ member, commands }: { member: MemberRow; commands: RowCommands }) {
  return (
    <Button
      size="small"
      variation="link"
      className={styles.fix}
      onClick={() => commands.onFix(member)}
      isLoading={commands.busy === member.username}
      loadingText="Fixing…"
      isDisabled={commands.busy !== null}
      title="Give Manage only access"
    >
      Fix<VisuallyHidden> access level of {member.email}</VisuallyHidden>
    </Button>
  );
}
