'use client';

import { Button, Flex, Text } from '@aws-amplify/ui-react';
import NextLink from 'next/link';
import type { TrailLinks } from './token-trail';

/** "Previous" / "Next" as links (a page is a URL), disabled buttons at either end. */
export function TrailPagination({
  path,
  links,
  label,
}: {
  path: string;
  links: TrailLinks;
  /** Names the navigation landmark, e.g. "Team members pages". */
  label: string;
}) {
  const href = (query: string) => (query ? `${path}?${query}` : path);
  return (
    <Flex as="nav" aria-label={label} alignItems="center" gap="xs" justifyContent="flex-end" wrap="wrap">
      {links.previous !== undefined ? (
        <Button as={NextLink} href={href(links.previous)} size="small" rel="prev">
          <Chevron direction="left" />
          Previous
        </Button>
      ) : (
        <Button size="small" isDisabled>
          <Chevron direction="left" />
          Previous
        </Button>
      )}
      {links.pageNumber !== undefined ? (
        <Text as="span" fontSize="small" color="font.secondary" padding="0 xs" aria-current="page">
          Page {links.pageNumber}
        </Text>
      ) : null}
      {links.next !== undefined ? (
        <Button as={NextLink} href={href(links.next)} size="small" rel="next">
          Next
          <Chevron direction="right" />
        </Button>
      ) : (
        <Button size="small" isDisabled>
          Next
          <Chevron direction="right" />
        </Button>
      )}
    </Flex>
  );
}

function Chevron({ direction }: { direction: 'left' | 'right' }) {
  return (
    <svg
      viewBox="0 0 16 16"
      width="12"
      height="12"
      aria-hidden="true"
      focusable="false"
      style={{ margin: direction === 'left' ? '0 0.35rem 0 0' : '0 0 0 0.35rem' }}
    >
      <path
        d={direction === 'left' ? 'M10 2 4 8l6 6' : 'm6 2 6 6-6 6'}
        stroke="currentColor"
        strokeWidth="2"
        fill="none"
      />
    </svg>
  );
}
