'use client';

import { Button, Flex, SelectField, TextField } from '@aws-amplify/ui-react';
import { useRouter } from 'next/navigation';
import { useRef } from 'react';
import {
  memberLevelFilterLabels,
  memberLevelFilters,
  memberPageSizes,
  memberStatusFilterLabels,
  memberStatusFilters,
} from '@/lib/members';
import styles from './members-filters.module.css';

export interface MemberFilterValues {
  q?: string;
  level?: string;
  status?: string;
  size: number;
}

const PATH = '/settings/access';

/**
 * Search by email prefix and filter by access level and status. A GET form: the filters live in the
 * URL (a page can be shared and reloaded), a new filter starts at the first page, and it works
 * before JavaScript loads; once it has, a change of a select applies at once.
 */
export function MembersFilters({ values }: { values: MemberFilterValues }) {
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);

  const apply = () => {
    if (!form.current) return;
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form.current)) {
      if (typeof value === 'string' && value.trim() !== '') params.set(key, value.trim());
    }
    const query = params.toString();
    router.push(query ? `${PATH}?${query}` : PATH);
  };

  return (
    <search aria-label="Team members">
      <form
        ref={form}
        action={PATH}
        method="get"
        className={styles.form}
        onSubmit={(event) => {
          event.preventDefault();
          apply();
        }}
      >
        <Flex className={styles.search} gap="xs" alignItems="flex-end">
          <TextField
            label="Search by email"
            labelHidden
            name="q"
            type="search"
            size="small"
            placeholder="Find members by email prefix"
            defaultValue={values.q ?? ''}
            autoComplete="off"
            spellCheck={false}
            className={styles.query}
          />
          <Button type="submit" size="small">
            Search
          </Button>
        </Flex>
        <Flex className={styles.selects} gap="xs" wrap="wrap">
          <SelectField
            label="Filter by access level"
            labelHidden
            name="level"
            size="small"
            defaultValue={values.level ?? ''}
            onChange={apply}
          >
            <option value="">Any access level</option>
            {memberLevelFilters.map((level) => (
              <option key={level} value={level}>
                {memberLevelFilterLabels[level]}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Filter by status"
            labelHidden
            name="status"
            size="small"
            defaultValue={values.status ?? ''}
            onChange={apply}
          >
            <option value="">Any status</option>
            {memberStatusFilters.map((status) => (
              <option key={status} value={status}>
                {memberStatusFilterLabels[status]}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Page size"
            labelHidden
            name="size"
            size="small"
            defaultValue={String(values.size)}
            onChange={apply}
          >
            {memberPageSizes.map((size) => (
              <option key={size} value={size}>
                {size} per page
              </option>
            ))}
          </SelectField>
        </Flex>
      </form>
    </search>
  );
}
