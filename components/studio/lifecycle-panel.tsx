'use client';

import { Flex, Heading, Text } from '@aws-amplify/ui-react';
import panel from '@/components/access/access-control-panel.module.css';
import { CopySnippet } from './copy-snippet';
import styles from './studio.module.css';

/**
 * Disable and enable are commands, not buttons: disabling deletes the user pool, which would sign out
 * everyone, whoever pressed it included, and leave nobody to enable it again from here.
 */
export function LifecyclePanel({ appId }: { appId: string }) {
  return (
    <section className={`${panel.container} ${styles.section}`} aria-labelledby="lifecycle-heading">
      <div className={styles.header}>
        <Heading level={2} fontSize="large" fontWeight="bold" id="lifecycle-heading">
          Disable or enable Studio
        </Heading>
      </div>
      <Flex className={styles.body} direction="column" gap="small">
        <Text>
          Disabling deletes the user pool and the identity pool: every member loses access, you included, so
          it cannot be done from this page. Run it where the console runs (or with the console's AWS
          settings). It first writes every member and their access level to a file, and enabling with that
          file invites everyone again at their level.
        </Text>
        <CopySnippet
          label="disable and enable commands"
          text={[
            `npm run studio -- disable --confirm ${appId}`,
            'npm run studio -- enable --reinvite <the file disable printed>',
          ].join('\n')}
        />
        <Text fontSize="small" color="font.secondary">
          <code className={styles.code}>npm run studio -- status</code> and{' '}
          <code className={styles.code}>npm run studio -- doctor --repair</code> do what this page does, from
          a terminal.
        </Text>
      </Flex>
    </section>
  );
}
