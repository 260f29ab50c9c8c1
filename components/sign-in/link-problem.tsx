'use client';

import { Button, Flex, Text } from '@aws-amplify/ui-react';
import NextLink from 'next/link';
import type { LinkProblem } from '@/lib/sign-in';
import { SignInCard } from './sign-in-card';

const TITLES: Record<LinkProblem, string> = {
  invalid: 'This sign-in link is not valid',
  used: 'This sign-in link was already used',
  expired: 'This sign-in link has expired',
  replaced: 'A newer sign-in link was sent',
  unavailable: 'This account cannot sign in',
};

const ADVICE: Record<LinkProblem, string> = {
  invalid:
    'Open the link exactly as it is in the email (some mail apps cut long links), or ask for a new one.',
  used: 'If it was not you who used it, ask for a new link and tell your team.',
  expired: 'Links work for 15 minutes after they are sent. Ask for a new one.',
  replaced: 'Only the most recent link works. Use the newest email, or ask for a new link.',
  unavailable:
    'Your membership was removed or disabled. Ask a Full-access member of your team to invite you again.',
};

/**
 * The expired / used / replaced / invalid link page: the heading says what happened, one line what to
 * do, and a way forward.
 */
export function LinkProblemView({ problem, email }: { problem: LinkProblem; email?: string }) {
  const retry = email ? `/login?email=${encodeURIComponent(email)}` : '/login';
  return (
    <SignInCard title={TITLES[problem]}>
      <Text color="font.secondary">{ADVICE[problem]}</Text>
      <Flex>
        {problem === 'unavailable' ? (
          <Button as={NextLink} href="/login" variation="link">
            Back to sign in
          </Button>
        ) : (
          <Button as={NextLink} href={retry} variation="primary">
            Send a new link
          </Button>
        )}
      </Flex>
    </SignInCard>
  );
}
