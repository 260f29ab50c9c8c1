'use client';

import { Alert, Button, Flex, PasswordField, Text, TextField } from '@aws-amplify/ui-react';
import NextLink from 'next/link';
import { useActionState, useState } from 'react';
import { type InvitationState, LINKS_FROM_NOW_ON } from '@/lib/sign-in';
import { acceptInvitationAction } from '@/server/actions/sign-in';
import { SignInCard } from './sign-in-card';

const initial: InvitationState = { status: 'idle' };

/**
 * /invite: the email and the temporary password from the invitation; when they are right, Cognito
 * confirms the member and they are signed in. From then on they sign in with email links.
 */
export function InvitationForm({ initialEmail, signedInAs }: { initialEmail?: string; signedInAs?: string }) {
  const [state, action, accepting] = useActionState(acceptInvitationAction, initial);
  // Controlled, so a refused attempt (React resets the form after an action) keeps the address.
  const [email, setEmail] = useState(initialEmail ?? '');

  if (state.expired) {
    return (
      <SignInCard title="Your invitation has expired">
        <Alert variation="warning" isDismissible={false} hasIcon role="alert">
          {state.message}
        </Alert>
        <Text color="font.secondary">
          Temporary passwords work for 7 days. A new invitation comes with a new temporary password.
        </Text>
      </SignInCard>
    );
  }

  const emailError = state.fieldErrors?.email?.[0];
  const temporaryError = state.fieldErrors?.temporaryPassword?.[0];
  return (
    <SignInCard
      title="Accept your invitation"
      description="Enter your email and the temporary password from your invitation email."
      signedInAs={signedInAs}
    >
      {state.status === 'error' && state.message && !temporaryError && !emailError ? (
        <Alert variation="error" isDismissible={false} hasIcon role="alert">
          {state.message}
        </Alert>
      ) : null}
      <form action={action} noValidate>
        <Flex direction="column" gap="medium">
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            isRequired
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            hasError={Boolean(emailError)}
            errorMessage={emailError}
          />
          <PasswordField
            label="Temporary password"
            name="temporaryPassword"
            autoComplete="one-time-code"
            isRequired
            hasError={Boolean(temporaryError)}
            errorMessage={temporaryError}
          />
          <Text color="font.secondary">{LINKS_FROM_NOW_ON}</Text>
          <Button type="submit" variation="primary" isFullWidth isLoading={accepting} loadingText="Joining…">
            Accept invitation
          </Button>
        </Flex>
      </form>
      <Text fontSize="small" color="font.secondary">
        Already joined?{' '}
        <NextLink href="/login" style={{ color: 'inherit' }}>
          Sign in with an email link
        </NextLink>
        .
      </Text>
    </SignInCard>
  );
}
