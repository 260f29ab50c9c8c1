'use client';

import { Breadcrumbs, Flex, Heading, Text } from '@aws-amplify/ui-react';
import NextLink from 'next/link';

export interface Crumb {
  label: string;
  href?: string;
}

/** Breadcrumbs, the page's one h1, and a line saying what the page is for. */
export function PageHeader({
  title,
  description,
  crumbs,
}: {
  title: string;
  description?: string;
  crumbs: Crumb[];
}) {
  return (
    <Flex direction="column" gap="xs" marginBottom="large">
      <Breadcrumbs.Container aria-label="Breadcrumb">
        {crumbs.map((crumb, index) => {
          const isCurrent = index === crumbs.length - 1;
          return (
            <Breadcrumbs.Item key={crumb.label}>
              {crumb.href && !isCurrent ? (
                // primary.90: primary.80 on the page's grey is 4.3:1, under WCAG AA's 4.5:1.
                <Breadcrumbs.Link as={NextLink} href={crumb.href} color="primary.90">
                  {crumb.label}
                </Breadcrumbs.Link>
              ) : (
                <Breadcrumbs.Link isCurrent={isCurrent}>{crumb.label}</Breadcrumbs.Link>
              )}
              {isCurrent ? null : <Breadcrumbs.Separator>›</Breadcrumbs.Separator>}
            </Breadcrumbs.Item>
          );
        })}
      </Breadcrumbs.Container>
      <Heading level={1} fontSize="xxl" fontWeight="bold">
        {title}
      </Heading>
      {description ? <Text color="font.secondary">{description}</Text> : null}
    </Flex>
  );
}
