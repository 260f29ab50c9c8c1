'use client';

import { Alert, Button, Flex, Heading, Text } from '@aws-amplify/ui-react';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import panel from '@/components/access/access-control-panel.module.css';
import { ModalDialog } from '@/components/access/modal-dialog';
import { type ActionState, idleState } from '@/lib/action-state';
import { type Finding, repairableFindings, type StudioReport } from '@/lib/studio';
import { repairStudioAction } from '@/server/actions/studio';
import { ResourcesList } from './resources-list';
import styles from './studio.module.css';

/** Status and doctor's findings, with Repair for what can be repaired in place. Full access only. */
export function HealthPanel({ report }: { report: StudioReport }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<ActionState>(idleState);
  const [pending, startTransition] = useTransition();
  const repairable = repairableFindings(report);
  const checked = new Date(report.checkedAt).toLocaleTimeString();

  const repair = () => {
    startTransition(async () => {
      try {
        setResult(await repairStudioAction(idleState, new FormData()));
      } catch {
        setResult({ status: 'error', message: 'Studio Access did not answer. Reload to see what changed.' });
      }
      setConfirming(false);
      router.refresh();
    });
  };

  return (
    <section className={`${panel.container} ${styles.section}`} aria-labelledby="health-heading">
      <Flex
        className={styles.header}
        justifyContent="space-between"
        alignItems="center"
        wrap="wrap"
        gap="small"
      >
        <Flex direction="column" gap="xxxs">
          <Heading level={2} fontSize="large" fontWeight="bold" id="health-heading">
            Studio resources
          </Heading>
          <Text fontSize="small" color="font.secondary">
            What Studio runs on, as Amplify Studio names it; checked at {checked}.
          </Text>
        </Flex>
        {repairable.length > 0 ? (
          <Button variation="primary" onClick={() => setConfirming(true)}>
            Repair
          </Button>
        ) : null}
      </Flex>
      <div className={styles.body}>
        {result.status !== 'idle' ? (
          <Alert
            variation={result.status === 'success' ? 'success' : 'error'}
            role="status"
            hasIcon
            isDismissible
            onDismiss={() => setResult(idleState)}
            marginBottom="medium"
            heading={result.message}
          >
            {result.repairs?.length ? (
              <ul className={styles.findings} aria-label="Repairs">
                {result.repairs.map((item) => (
                  <li key={item.key}>
                    <strong>{item.outcome === 'repaired' ? 'Repaired' : 'Failed'}</strong> {item.resource}:{' '}
                    {item.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : null}
        <Findings findings={report.findings} unreadable={report.unreadable} />
      </div>
      <ResourcesList resources={report.resources} />
      <ModalDialog
        open={confirming}
        title="Repair Studio"
        description={`Repair ${repairable.length === 1 ? 'this problem' : `these ${repairable.length} problems`} in place? Every member keeps their access level; each repair goes into the activity log.`}
        onClose={() => setConfirming(false)}
        closeDisabled={pending}
        footer={
          <>
            <Button onClick={() => setConfirming(false)} isDisabled={pending} data-autofocus>
              Cancel
            </Button>
            <Button variation="primary" onClick={repair} isLoading={pending} loadingText="Repairing…">
              Repair
            </Button>
          </>
        }
      >
        <ul className={styles.findings} aria-label="Problems to repair">
          {repairable.map((finding) => (
            <li key={`${finding.key}-${finding.problem}`}>
              <strong>{finding.resource}</strong>: {finding.problem}
            </li>
          ))}
        </ul>
      </ModalDialog>
    </section>
  );
}

function Findings({
  findings,
  unreadable,
}: {
  findings: readonly Finding[];
  unreadable: StudioReport['unreadable'];
}) {
  const notChecked =
    unreadable.length > 0 ? (
      <Alert variation="warning" hasIcon isDismissible={false} heading="Not everything could be checked">
        <ul className={styles.findings} aria-label="Not checked">
          {unreadable.map((item) => (
            <li key={item.key}>
              <strong>{item.resource}</strong>: {item.reason}
            </li>
          ))}
        </ul>
      </Alert>
    ) : null;
  if (findings.length === 0) {
    return (
      <Flex direction="column" gap="xs">
        <Alert variation="success" hasIcon isDismissible={false} role="status">
          {unreadable.length === 0
            ? 'Healthy: every resource is as Studio defines it.'
            : 'No problem found in what could be checked.'}
        </Alert>
        {notChecked}
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="xs">
      {notChecked}
      <Heading level={3} fontSize="medium" fontWeight="bold">
        {findings.length} problem{findings.length === 1 ? '' : 's'} found
      </Heading>
      <ul className={styles.findings} aria-label="Problems found">
        {findings.map((finding) => (
          <li
            key={`${finding.key}-${finding.problem}`}
            className={styles.finding}
            data-repairable={String(finding.repairable)}
          >
            <Text as="span" fontWeight="semibold">
              {finding.resource}
            </Text>
            : {finding.problem}
            {finding.repairable ? null : (
              <Text fontSize="small" color="font.secondary">
                Not repairable here: {finding.remedy}
              </Text>
            )}
          </li>
        ))}
      </ul>
    </Flex>
  );
}
