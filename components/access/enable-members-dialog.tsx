'use client';

import { Alert, Button, Flex, Text } from '@aws-amplify/ui-react';
import { useTransition } from 'react';
import { type ActionState, idleState } from '@/lib/action-state';
import type { MemberRow } from '@/lib/members';
import { disableMembersAction, enableMembersAction } from '@/server/actions/members';
import { ModalDialog } from './modal-dialog';
import { SelectedEmails } from './selected-emails';

const COPY = {
  disable: {
    title: 'Disable users',
    confirm: 'Disable',
    pending: 'Disabling…',
    question: (count: string) =>
      `Disable ${count}? They are signed out on their next request and their sign-in links stop working. They keep their access level for when you enable them again.`,
  },
  enable: {
    title: 'Enable users',
    confirm: 'Enable',
    pending: 'Enabling…',
    question: (count: string) => `Enable ${count}? They can sign in again, with the access level they held.`,
  },
} as const;

/** "Disable users" or "Enable users": the selected emails and one button to confirm. */
export function EnableMembersDialog({
  mode,
  open,
  members,
  currentUsername,
  onClose,
  onDone,
}: {
  mode: 'disable' | 'enable';
  open: boolean;
  members: MemberRow[];
  currentUsername: string;
  onClose: () => void;
  onDone: (state: ActionState) => void;
}) {
  const [pending, startTransition] = useTransition();
  const copy = COPY[mode];
  const includesSelf = mode === 'disable' && members.some((member) => member.username === currentUsername);
  const confirm = () => {
    const form = new FormData();
    for (const member of members) form.append('username', member.username);
    const action = mode === 'disable' ? disableMembersAction : enableMembersAction;
    startTransition(async () => {
      try {
        onDone(await action(idleState, form));
      } catch {
        onDone({ status: 'error', message: 'Studio Access did not answer. Reload to see what changed.' });
      }
    });
  };
  return (
    <ModalDialog
      open={open}
      title={copy.title}
      description={copy.question(
        members.length === 1 ? 'this team member' : `these ${members.length} team members`,
      )}
      onClose={onClose}
      closeDisabled={pending}
      footer={
        <>
          <Button onClick={onClose} isDisabled={pending} data-autofocus>
            Cancel
          </Button>
          <Button
            variation={mode === 'disable' ? 'destructive' : 'primary'}
            onClick={confirm}
            isLoading={pending}
            loadingText={copy.pending}
          >
            {copy.confirm}
          </Button>
        </>
      }
    >
      <Flex direction="column" gap="medium">
        <SelectedEmails members={members} label={`Team members to ${mode}`} />
        {includesSelf ? (
          <Alert variation="warning" hasIcon isDismissible={false}>
            You are one of them: you will be signed out.
          </Alert>
        ) : null}
        {mode === 'disable' ? (
          <Text fontSize="small" color="font.secondary">
            Nobody can disable the last Full access member.
          </Text>
        ) : null}
      </Flex>
    </ModalDialog>
  );
}
