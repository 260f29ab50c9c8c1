'use client';

import { Alert, Button, Flex, Loader, Text, TextAreaField } from '@aws-amplify/ui-react';
import { type ReactNode, useMemo, useRef, useState } from 'react';
import type { AccessLevel } from '@/lib/access-levels';
import { type ItemResult, idleState } from '@/lib/action-state';
import { MAX_INVITES, parseEmailList } from '@/lib/member-schemas';
import { inviteMembersAction } from '@/server/actions/members';
import { AccessLevelChoice } from './access-level-choice';
import { ItemResultList, isProblem, summarize } from './item-results';
import { ModalDialog } from './modal-dialog';

/** Addresses per server action call: small enough to show progress, large enough to be quick. */
export const INVITE_CHUNK = 20;

type Phase =
  | { step: 'form'; error?: string }
  | { step: 'sending'; done: number; total: number }
  | { step: 'done'; results: ItemResult[]; notSent: number; error?: string };

/** "Add team members": one or many emails, an access level, "Send invite", then a result per email. */
export function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [raw, setRaw] = useState('');
  const [level, setLevel] = useState<AccessLevel | null>(null);
  const [phase, setPhase] = useState<Phase>({ step: 'form' });
  const stopRequested = useRef(false);
  const parsed = useMemo(() => parseEmailList(raw), [raw]);

  const close = () => {
    if (phase.step === 'sending') return;
    onClose();
    // Next time it opens empty, unless the admin closed a half-typed form.
    if (phase.step === 'done') reset();
  };

  function reset() {
    setRaw('');
    setLevel(null);
    setPhase({ step: 'form' });
  }

  async function send() {
    const addresses = [...parsed.emails, ...parsed.invalid];
    if (addresses.length === 0) return setPhase({ step: 'form', error: 'Enter at least one email address.' });
    if (addresses.length > MAX_INVITES) {
      return setPhase({
        step: 'form',
        error: `Up to ${MAX_INVITES} addresses at once; you entered ${addresses.length}. Send the rest in another invite.`,
      });
    }
    if (!level) return setPhase({ step: 'form', error: 'Choose an access level.' });

    stopRequested.current = false;
    const results: ItemResult[] = [];
    let sent = 0;
    let error: string | undefined;
    setPhase({ step: 'sending', done: 0, total: addresses.length });
    for (let start = 0; start < addresses.length; start += INVITE_CHUNK) {
      if (stopRequested.current) break;
      const chunk = addresses.slice(start, start + INVITE_CHUNK);
      setPhase({ step: 'sending', done: start + chunk.length, total: addresses.length });
      const form = new FormData();
      form.set('emails', chunk.join('\n'));
      form.set('accessLevel', level);
      try {
        const state = await inviteMembersAction(idleState, form);
        if (state.results && state.results.length > 0) results.push(...state.results);
        else if (state.status === 'error') {
          results.push(...chunk.map((email) => failed(email, state.message ?? 'The invite was refused.')));
        }
      } catch {
        error = 'Studio Access stopped answering. The addresses not listed were not invited; try them again.';
        sent = start;
        break;
      }
      sent = start + chunk.length;
    }
    setPhase({ step: 'done', results, notSent: addresses.length - sent, error });
  }

  const count = parsed.emails.length + parsed.invalid.length;
  const countText =
    count === 0
      ? `Separate addresses with commas, spaces or new lines, or paste a spreadsheet column. Up to ${MAX_INVITES}.`
      : `${count} ${count === 1 ? 'address' : 'addresses'}${
          parsed.invalid.length > 0
            ? `, ${parsed.invalid.length} not valid (${parsed.invalid.slice(0, 3).join(', ')}${parsed.invalid.length > 3 ? ', …' : ''})`
            : ''
        }`;

  let body: ReactNode;
  let footer: ReactNode;
  if (phase.step === 'done') {
    const problems = phase.results.filter(isProblem);
    body = (
      <Flex direction="column" gap="medium">
        <Alert
          variation={phase.error ? 'error' : problems.length > 0 ? 'warning' : 'success'}
          role={phase.error || problems.length > 0 ? 'alert' : 'status'}
          hasIcon
          isDismissible={false}
          heading={summarize(phase.results) || 'Nobody was invited'}
        >
          {phase.error ??
            (phase.notSent > 0
              ? `Stopped: ${phase.notSent} ${phase.notSent === 1 ? 'address was' : 'addresses were'} not sent.`
              : problems.length > 0
                ? 'The addresses marked below were not invited.'
                : 'Each new member has an email with a temporary password and a link to accept.')}
        </Alert>
        <ItemResultList results={phase.results} label="Invite results" />
      </Flex>
    );
    footer = (
      <>
        <Button onClick={reset}>Invite more</Button>
        <Button variation="primary" onClick={close}>
          Close
        </Button>
      </>
    );
  } else if (phase.step === 'sending') {
    const percentage = Math.round((phase.done / phase.total) * 100);
    body = (
      <Flex direction="column" gap="small">
        <Text role="status" aria-live="polite" fontWeight="semibold">
          Inviting {phase.done} of {phase.total}…
        </Text>
        <Loader variation="linear" percentage={percentage} isDeterminate isPercentageTextHidden />
        <Text fontSize="small" color="font.secondary">
          Invitations go out in batches of {INVITE_CHUNK}, within Cognito's request-rate limits. Keep this
          window open.
        </Text>
      </Flex>
    );
    footer = (
      <Button
        onClick={() => {
          stopRequested.current = true;
        }}
      >
        Stop after this batch
      </Button>
    );
  } else {
    body = (
      <form
        id="invite-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <Flex direction="column" gap="large">
          {phase.error ? (
            <Alert variation="error" role="alert" hasIcon isDismissible={false}>
              {phase.error}
            </Alert>
          ) : null}
          <TextAreaField
            label="Email"
            name="emails"
            rows={4}
            autoComplete="off"
            spellCheck={false}
            placeholder="ana@example.com, li@example.com"
            value={raw}
            onChange={(event) => setRaw(event.target.value)}
            descriptiveText={countText}
            isRequired
          />
          <AccessLevelChoice value={level} onChange={setLevel} />
        </Flex>
      </form>
    );
    footer = (
      <>
        <Button onClick={close}>Cancel</Button>
        <Button type="submit" form="invite-form" variation="primary">
          Send invite
        </Button>
      </>
    );
  }

  return (
    <ModalDialog
      open={open}
      title="Add team members"
      description="Each person gets an email with a temporary password and a link to join."
      onClose={close}
      closeDisabled={phase.step === 'sending'}
      footer={footer}
      wide
    >
      {body}
    </ModalDialog>
  );
}

function failed(email: string, message: string): ItemResult {
  return { key: email, email, outcome: 'failed', message };
}
