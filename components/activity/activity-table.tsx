'use client';

import { Badge, Table, TableBody, TableCell, TableHead, TableRow, Text } from '@aws-amplify/ui-react';
import type { ReactNode } from 'react';
import { formatDayTime } from '@/components/access/format';
import { EmailAddress } from '@/components/email-address';
import { type ActivityEntry, activityActionLabels } from '@/lib/members';
import styles from './activity-table.module.css';

const COLUMNS = ['When', 'Who', 'What', 'Whom', 'Outcome'] as const;

/**
 * The activity log, newest first: when, who, what, whom, and how it ended. A table on wide screens,
 * a card per entry on phones (explicit ARIA roles keep the table semantics through the CSS).
 */
export function ActivityTable({ entries, empty }: { entries: ActivityEntry[]; empty: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className={styles.scroller} aria-label="Activity log table" tabIndex={0}>
      <Table role="table" size="small" highlightOnHover className={styles.table}>
        <TableHead role="rowgroup">
          <TableRow role="row">
            {COLUMNS.map((column) => (
              <TableCell key={column} as="th" role="columnheader" scope="col" className={styles.heading}>
                {column}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody role="rowgroup">
          {entries.length === 0 ? (
            <TableRow role="row">
              <TableCell role="cell" colSpan={COLUMNS.length} className={styles.empty}>
                {empty}
              </TableCell>
            </TableRow>
          ) : (
            entries.map((entry) => (
              <TableRow role="row" key={entry.id} className={styles.row}>
                <TableCell role="cell" className={styles.when}>
                  <time dateTime={entry.at}>{formatDayTime(entry.at)}</time>
                </TableCell>
                <TableCell role="cell" className={`${styles.address} ${styles.who}`}>
                  <EmailAddress address={entry.actorEmail} />
                </TableCell>
                <TableCell role="cell" className={styles.what}>
                  <Text as="span" display="block">
                    {activityActionLabels[entry.action]}
                  </Text>
                  {entry.detail ? (
                    <Text as="span" display="block" fontSize="small" color="font.secondary">
                      {entry.detail}
                    </Text>
                  ) : null}
                </TableCell>
                <TableCell
                  role="cell"
                  className={`${styles.address} ${styles.whom}`}
                  data-empty={!entry.targetEmail || undefined}
                >
                  {entry.targetEmail ? <EmailAddress address={entry.targetEmail} /> : '—'}
                </TableCell>
                <TableCell role="cell" className={styles.outcome}>
                  <Badge size="small" variation={entry.outcome === 'success' ? 'success' : 'error'}>
                    {entry.outcome === 'success' ? 'Succeeded' : 'Failed'}
                  </Badge>
                  {entry.message ? (
                    <Text
                      as="span"
                      display="block"
                      fontSize="small"
                      color="font.secondary"
                      className={styles.message}
                    >
                      {entry.message}
                    </Text>
                  ) : null}
                </TableCell>
              </TableRow>
            ))
          )}
        </TableBody>
      </Table>
    </section>
  );
}
