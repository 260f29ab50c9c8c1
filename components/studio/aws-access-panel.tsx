'use client';

import { Alert, Button, Flex, Heading, Tabs, Text } from '@aws-amplify/ui-react';
import { useState, useTransition } from 'react';
import panel from '@/components/access/access-control-panel.module.css';
import { type AccessLevel, accessLevelLabel } from '@/lib/access-levels';
import { type ActionState, idleState } from '@/lib/action-state';
import { credentialsFileProfile, credentialsProfileName, shellExports } from '@/lib/studio';
import { awsCredentialsAction } from '@/server/actions/studio';
import { CopySnippet } from './copy-snippet';
import styles from './studio.module.css';

/**
 * The IAM role the member's access level maps to, and temporary credentials for it: shown once (kept
 * in this component only), as shell exports and as a ~/.aws/credentials profile.
 */
export function AwsAccessPanel({
  level,
  roleArn,
  localEndpoint,
}: {
  level: AccessLevel;
  roleArn: string | null;
  /** The embedded service's URL in local mode (its credentials work against it only); null in AWS mode. */
  localEndpoint: string | null;
}) {
  const [state, setState] = useState<ActionState>(idleState);
  const [pending, startTransition] = useTransition();
  const credentials = state.credentials;

  const request = () => {
    startTransition(async () => {
      try {
        setState(await awsCredentialsAction(idleState, new FormData()));
      } catch {
        setState({ status: 'error', message: 'Studio Access did not answer. Try again in a moment.' });
      }
    });
  };

  return (
    <section className={`${panel.container} ${styles.section}`} aria-labelledby="aws-access-heading">
      <div className={styles.header}>
        <Heading level={2} fontSize="large" fontWeight="bold" id="aws-access-heading">
          Your AWS access
        </Heading>
      </div>
      <Flex className={styles.body} direction="column" gap="medium">
        <Text>
          You have <strong>{accessLevelLabel(level)}</strong>. It maps to the IAM role{' '}
          {roleArn ? (
            <code className={styles.code} data-testid="role-arn">
              {roleArn}
            </code>
          ) : (
            'that its group names; the group names none now'
          )}
          .
        </Text>
        {credentials ? null : (
          <Flex alignItems="center" gap="small" wrap="wrap">
            <Button
              variation="primary"
              onClick={request}
              isLoading={pending}
              loadingText="Getting credentials…"
            >
              Get AWS credentials
            </Button>
            <Text fontSize="small" color="font.secondary">
              Temporary credentials for this role, valid for an hour. Each request is in the activity log.
            </Text>
          </Flex>
        )}
        {state.status === 'error' ? (
          <Alert variation="error" role="alert" hasIcon isDismissible={false}>
            {state.message}
          </Alert>
        ) : null}
        {credentials ? (
          <Flex direction="column" gap="small" data-testid="aws-credentials">
            <Alert variation="info" hasIcon isDismissible={false} role="status" heading="Shown once">
              For <code className={styles.code}>{credentials.roleArn}</code>, valid until{' '}
              <time dateTime={credentials.expiration}>
                {new Date(credentials.expiration).toLocaleString()}
              </time>
              . They are not kept: copy them now.
              {credentials.local && localEndpoint ? (
                <>
                  {' '}
                  These are local credentials from the embedded identity service: they work against it only,
                  e.g.{' '}
                  <code className={styles.code}>
                    aws sts get-caller-identity --endpoint-url {localEndpoint}
                  </code>
                  .
                </>
              ) : null}
            </Alert>
            <Tabs
              defaultValue="shell"
              items={[
                {
                  label: 'Shell',
                  value: 'shell',
                  content: <CopySnippet label="shell exports" text={shellExports(credentials)} />,
                },
                {
                  label: '~/.aws/credentials',
                  value: 'file',
                  content: (
                    <Flex direction="column" gap="xs" paddingTop="small">
                      <CopySnippet label="credentials profile" text={credentialsFileProfile(credentials)} />
                      <Text fontSize="small" color="font.secondary">
                        Then use{' '}
                        <code className={styles.code}>
                          --profile {credentialsProfileName(credentials.roleArn)}
                        </code>
                        .
                      </Text>
                    </Flex>
                  ),
                },
              ]}
            />
            <div>
              <Button onClick={() => setState(idleState)}>Hide credentials</Button>
            </div>
          </Flex>
        ) : null}
      </Flex>
    </section>
  );
}
