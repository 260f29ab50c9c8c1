'use client';

import { Flex, Heading, Link, Text } from '@aws-amplify/ui-react';
import NextLink from 'next/link';

export function NotFoundMessage() {
  return (
    <Flex direction="column" gap="small">
      <Heading level={1} fontSize="xxl" fontWeight="bold">
        Page not found
      </Heading>
      <Text color="font.secondary">There is no page at this address.</Text>
      <Text>
        <Link as={NextLink} href="/settings/access">
          Go to Access control settings
        </Link>
      </Text>
    </Flex>
  );
}
