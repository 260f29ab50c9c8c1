'use client';

import { Card, Flex, Heading, Text } from '@aws-amplify/ui-react';
import type { ReactNode } from 'react';

/** The centred card the sign-in, link and invitation pages share, under the console's header. */
export function SignInCard({
  title,
  description,
  signedInAs,
  children,
}: {
  title: string;
  description?: ReactNode;
  /** Someone is already signed in in this browser; going on replaces their session. */
  signedInAs?: string;
  children?: ReactNode;
}) {
  return (
    <Flex
      as="main"
      id="main"
      tabIndex={-1}
      justifyContent="center"
      padding={{ base: 'medium', medium: 'xxl' }}
    >
      <Card
        variation="outlined"
        width="100%"
        maxWidth="30rem"
        padding={{ base: 'large', medium: 'xl' }}
        borderRadius="medium"
        backgroundColor="background.primary"
        boxShadow="small"
      >
        <Flex direction="column" gap="medium">
          <Flex direction="column" gap="xs">
            <Heading level={1} fontSize="xl" fontWeight="bold">
              {title}
            </Heading>
            {description ? <Text color="font.secondary">{description}</Text> : null}
          </Flex>
          {children}
          {signedInAs ? (
            <Text fontSize="small" color="font.tertiary">
              This browser is signed in as {signedInAs}; continuing replaces that session.
            </Text>
          ) : null}
        </Flex>
      </Card>
    </Flex>
  );
}
