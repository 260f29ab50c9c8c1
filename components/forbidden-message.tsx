'use client';

import { Alert, Button, Flex, Heading, Text } from '@aws-amplify/ui-react';

/**
 * What a 403 shows. The same boundary catches a refused page and a refused action, and an action's
 * refusal renders here without the action's own request at hand, so both causes are named.
 */
export function ForbiddenMessage({ publicUrl }: { publicUrl: string }) {
  return (
    <Flex
      as="main"
      id="main"
      tabIndex={-1}
      justifyContent="center"
      padding={{ base: 'medium', medium: 'xxl' }}
    >
      <Flex direction="column" gap="medium" maxWidth="36rem">
        <Heading level={1} fontSize="xl" fontWeight="bold">
          Not allowed
        </Heading>
        <Alert
          variation="error"
          isDismissible={false}
          hasIcon
          role="alert"
          heading="Studio Access refused this request (403)"
        >
          It needs Full access, which your account does not hold now, or it did not come from a Studio Access
          page at {publicUrl}.
        </Alert>
        <Text color="font.secondary">
          If a team member changed your access level, reload the page to see what you can do now. To get Full
          access, ask a Full-access member of your team.
        </Text>
        <Flex>
          <Button as="a" href="/" variation="primary">
            Reload Studio Access
          </Button>
        </Flex>
      </Flex>
    </Flex>
  );
}
