'use client';

import { Alert, Badge, Flex, Text } from '@aws-amplify/ui-react';
import { EmailAddress } from '@/components/email-address';
import type { ActionState, ItemResult } from '@/lib/action-state';
import styles from './item-results.module.css';

type Outcome = ItemResult['outcome'];

const OUTCOMES: Record<
  Outcome,
  { label: string; plural: [string, string]; variation?: 'success' | 'info' | 'warning' | 'error' }
> = {
  invited: { label: 'Invited', plural: ['invited', 'invited'], variation: 'success' },
  'already-member': {
    label: 'Already a member',
    plural: ['already a member', 'already members'],
    variation: 'info',
  },
  invalid: { label: 'Invalid address', plural: ['invalid address', 'invalid addresses'], variation: 'error' },
  failed: { label: 'Failed', plural: ['failed', 'failed'], variation: 'error' },
  updated: { label: 'Updated', plural: ['updated', 'updated'], variation: 'success' },
  unchanged: { label: 'Unchanged', plural: ['unchanged', 'unchanged'] },
  deleted: { label: 'Deleted', plural: ['deleted', 'deleted'], variation: 'success' },
  resent: { label: 'Invite resent', plural: ['invite resent', 'invites resent'], variation: 'success' },
  disabled: { label: 'Disabled', plural: ['disabled', 'disabled'], variation: 'success' },
  enabled: { label: 'Enabled', plural: ['enabled', 'enabled'], variation: 'success' },
  refused: { label: 'Refused', plural: ['refused', 'refused'], variation: 'warning' },
};

const PROBLEMS: ReadonlySet<Outcome> = new Set(['invalid', 'failed', 'refused']);

export function isProblem(result: ItemResult): boolean {
  return PROBLEMS.has(result.outcome);
}

/** "3 invited, 1 already a member, 1 invalid address" in a stable order. */
export function summarize(results: readonly ItemResult[]): string {
  const counts = new Map<Outcome, number>();
  for (const result of results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
  return (Object.keys(OUTCOMES) as Outcome[])
    .filter((outcome) => counts.has(outcome))
    .map((outcome) => {
      const count = counts.get(outcome) ?? 0;
      return `${count} ${OUTCOMES[outcome].plural[count === 1 ? 0 : 1]}`;
    })
    .join(', ');
}

/** One line per address: the email, what happened, and why when it did not work. */
export function ItemResultList({ results, label }: { results: readonly ItemResult[]; label: string }) {
  // Problems first: they are what the admin has to act on.
  const ordered = [...results.filter(isProblem), ...results.filter((r) => !isProblem(r))];
  return (
    <ul className={styles.list} aria-label={label}>
      {ordered.map((result) => {
        const outcome = OUTCOMES[result.outcome];
        return (
          <li key={`${result.key}-${result.outcome}`} className={styles.item}>
            <EmailAddress className={styles.email} address={result.email || result.key} />
            <Badge size="small" variation={outcome.variation} className={styles.badge}>
              {outcome.label}
            </Badge>
            {result.message && result.message !== outcome.label ? (
              <Text as="span" fontSize="small" color="font.secondary" className={styles.message}>
                {result.message}
              </Text>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The answer to an edit, delete, resend or fix, above the table. Errors and refusals are announced
 * at once (role="alert"); a success politely (role="status").
 */
export function ActionResultAlert({ state, onDismiss }: { state: ActionState; onDismiss: () => void }) {
  if (state.status === 'idle') return null;
  const results = state.results ?? [];
  const problems = results.filter(isProblem);
  const failed = state.status === 'error';
  const variation = failed ? 'error' : problems.length > 0 ? 'warning' : 'success';
  const message = state.message ?? summarize(results);
  // One result: the message is its sentence already. Several: each member and what changed for them,
  // as invite results are listed, problems first.
  const shown = results.length > 1 ? results : [];
  return (
    <Alert
      variation={variation}
      role={variation === 'success' ? 'status' : 'alert'}
      isDismissible
      onDismiss={onDismiss}
      hasIcon
      marginBottom="medium"
      testId="action-result"
    >
      <Flex direction="column" gap="xs">
        <Text as="span" fontWeight="bold">
          {message}
        </Text>
        {shown.length > 0 ? <ItemResultList results={shown} label="Results" /> : null}
      </Flex>
    </Alert>
  );
}
