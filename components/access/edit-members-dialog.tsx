'use client';

import { Button, Flex, Text } from '@aws-amplify/ui-react';
import { useState, useTransition } from 'react';
import type { AccessLevel } from '@/lib/access-levels';
import { type ActionState, idleState } from '@/lib/action-state';
import type { MemberRow } from '@/lib/members';
import { editMembersAction } from '@/server/actions/members';
import { AccessLevelChoice } from './access-level-choice';
import { ModalDialog } from './modal-dialog';
import { SelectedEmails } from './selected-emails';

/** "Edit team member(s)": one access level for every selected member, then "Save". */
export function EditMembersDialog({
  open,
  members,
  onClose,
  onDone,
}: {
  open: boolean;
  members: MemberRow[];
  onClose: () => void;
  onDone: (state: ActionState) => void;
}) {
  return (
    <ModalDialog
      open={open}
      title="Edit team member(s)"
      description={
        members.length === 1
          ? `Change the access level of ${members[0]?.email}.`
          : `Change the access level of ${members.length} team members.`
      }
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="edit-members-form" variation="primary">
            Save
          </Button>
        </>
      }
    >
      {/* Mounted per opening, so the form starts from the selection's current level. */}
      {open ? <EditForm members={members} onDone={onDone} /> : null}
    </ModalDialog>
  );
}

function EditForm({ members, onDone }: { members: MemberRow[]; onDone: (state: ActionState) => void }) {
  const levels = new Set(members.map((member) => member.accessLevel));
  const shared = levels.size === 1 ? [...levels][0] : null;
  const [level, setLevel] = useState<AccessLevel | null>(shared ?? null);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();

  return (
    <form
      id="edit-members-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!level) return setError('Choose an access level.');
        const form = new FormData();
        for (const member of members) form.append('username', member.username);
        form.set('accessLevel', level);
        startTransition(async () => {
          try {
            onDone(await editMembersAction(idleState, form));
          } catch {
            onDone({
              status: 'error',
              message: 'Studio Access did not answer. Nothing may have changed; reload and check.',
            });
          }
        });
      }}
    >
      <Flex direction="column" gap="large">
        <SelectedEmails members={members} label="Team members to edit" />
        <AccessLevelChoice value={level} onChange={setLevel} disabled={pending} error={error} />
        <Text fontSize="small" color="font.secondary" aria-live="polite">
          {pending ? 'Saving…' : 'The change applies on their next page view or action.'}
        </Text>
      </Flex>
    </form>
  );
}
