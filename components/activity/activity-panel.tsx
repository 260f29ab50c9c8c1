'use client';

import { Button, Flex, Heading, Link, Text, TextField } from '@aws-amplify/ui-react';
import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import type { TrailLinks } from '@/components/access/token-trail';
import { TrailPagination } from '@/components/access/trail-pagination';
import type { ActivityEntry } from '@/lib/members';
import styles from './activity-panel.module.css';
import { ActivityTable } from './activity-table';

const PATH = '/settings/activity';

/** The "Activity log" container: a filter by member email, the table, and its pages. */
export function ActivityPanel({
  entries,
  member,
  pagination,
}: {
  entries: ActivityEntry[];
  member?: string;
  pagination: TrailLinks;
}) {
  const router = useRouter();
  return (
    <section className={styles.container} aria-labelledby="activity-heading">
      <Flex
        className={styles.header}
        justifyContent="space-between"
        alignItems="flex-end"
        wrap="wrap"
        gap="small"
      >
        <Flex direction="column" gap="xxxs">
          <Heading level={2} fontSize="large" fontWeight="bold" id="activity-heading">
            Activity log
          </Heading>
          <Text as="span" fontSize="small" color="font.secondary">
            {member ? `Entries by or about ${member}, newest first.` : 'Newest first.'}
          </Text>
        </Flex>
        <search aria-label="Activity log" className={styles.filter}>
          <form
            key={member ?? ''}
            action={PATH}
            method="get"
            className={styles.filterForm}
            onSubmit={(event) => {
              event.preventDefault();
              const value = String(new FormData(event.currentTarget).get('member') ?? '').trim();
              router.push(value ? `${PATH}?member=${encodeURIComponent(value)}` : PATH);
            }}
          >
            <TextField
              label="Filter by member email"
              labelHidden
              name="member"
              type="search"
              size="small"
              placeholder="Member email"
              defaultValue={member ?? ''}
              autoComplete="off"
              spellCheck={false}
              className={styles.field}
            />
            <Button type="submit" size="small">
              Filter
            </Button>
          </form>
        </search>
      </Flex>
      <ActivityTable
        entries={entries}
        empty={
          member ? (
            <Text>
              Nothing recorded for {member}.{' '}
              <Link as={NextLink} href={PATH}>
                Show all activity
              </Link>
            </Text>
          ) : (
            <Text>Nothing recorded yet.</Text>
          )
        }
      />
      <Flex className={styles.footer} justifyContent="flex-end">
        <TrailPagination path={PATH} links={pagination} label="Activity log pages" />
      </Flex>
    </section>
  );
}
