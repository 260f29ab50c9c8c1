'use client';

import { Alert, Button, Flex, Text } from '@aws-amplify/ui-react';
import { useTransition } from 'react';
import { type ActionState, idleState } from '@/lib/action-state';
import type { MemberRow } from '@/lib/members';
import { deleteMembersAction } from '@/server/actions/members';
import { ModalDialog } from './modal-dialog';
import { SelectedEmails } from './selected-emails';

/** "Delete users": the selected emails, a warning, and "Delete". */
export function DeleteMembersDialog({
  open,
  members,
  currentUsername,
  onClose,
  onDone,
}: {
  open: boolean;
  members: MemberRow[];
  currentUsername: string;
  onClose: () => void;
  onDone: (state: ActionState) => void;
}) {
  const [pending, startTransition] = useTransition();
  const includesSelf = members.some((member) => member.username === currentUsername);
  const remove = () => {
    const form = new FormData();
    for (const member of members) form.append('username', member.username);
    startTransition(async () => {
      try {
        onDone(await deleteMembersAction(idleState, form));
      } catch {
        onDone({ status: 'error', message: 'Studio Access did not answer. Reload to see who was deleted.' });
      }
    });
  };
  return (
    <ModalDialog
      open={open}
      title="Delete users"
      description={`Delete ${members.length === 1 ? 'this team member' : `these ${members.length} team members`}? They lose access on their next request, and pending invitations stop working.`}
      onClose={onClose}
      closeDisabled={pending}
      footer={
        <>
          <Button onClick={onClose} isDisabled={pending} data-autofocus>
            Cancel
          </Button>
          <Button variation="destructive" onClick={remove} isLoading={pending} loadingText="Deleting…">
            Delete
          </Button>
        </>
      }
    >
      <Flex direction="column" gap="medium">
        <SelectedEmails members={members} label="Team members to delete" />
        {includesSelf ? (
          <Alert variation="warning" hasIcon isDismissible={false}>
            You are one of them: you will be signed out.
          </Alert>
        ) : null}
        <Text fontSize="small" color="font.secondary">
          This cannot be undone. To give someone access again, invite them again.
        </Text>
      </Flex>
    </ModalDialog>
  );
}
