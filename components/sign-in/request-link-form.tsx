'use client';

import { Alert, Button, Flex, Text, TextField } from '@aws-amplify/ui-react';
import { useActionState, useState } from 'react';
import { idleState } from '@/lib/action-state';
import { requestSignInLinkAction } from '@/server/actions/sign-in';
import { SignInCard } from './sign-in-card';

/** /login: one field, one button, and the same "Check your inbox" for every address. */
export function RequestLinkForm({ initialEmail, notice }: { initialEmail?: string; notice?: string }) {
  const [state, formAction, pending] = useActionState(requestSignInLinkAction, idleState);
  const [email, setEmail] = useState(initialEmail ?? '');
  const [editing, setEditing] = useState(false);

  if (state.status === 'success' && !editing) {
    return (
      <SignInCard title="Check your inbox">
        <Alert variation="success" role="status" isDismissible={false} hasIcon>
          {state.message}
        </Alert>
        <Text color="font.secondary">
          Look for an email to <strong>{email}</strong>. Nothing after a minute? Check your spam folder, then
          ask again.
        </Text>
        <Button variation="link" alignSelf="flex-start" onClick={() => setEditing(true)}>
          Use another email
        </Button>
      </SignInCard>
    );
  }

  const emailError = state.fieldErrors?.email?.[0];
  return (
    <SignInCard
      title="Sign in to Studio Access"
      description="Enter the email address your team invited. We will email you a link that signs you in, no password needed."
    >
      {notice ? (
        <Alert variation="info" isDismissible={false} hasIcon>
          {notice}
        </Alert>
      ) : null}
      {state.status === 'error' && state.message && !emailError ? (
        <Alert variation="error" isDismissible={false} hasIcon role="alert">
          {state.message}
        </Alert>
      ) : null}
      <form action={formAction} onSubmit={() => setEditing(false)} noValidate>
        <Flex direction="column" gap="medium">
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            inputMode="email"
            isRequired
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            hasError={Boolean(emailError)}
            errorMessage={emailError}
          />
          <Button
            type="submit"
            variation="primary"
            isFullWidth
            isLoading={pending}
            loadingText="Sending link…"
          >
            Email me a sign-in link
          </Button>
        </Flex>
      </form>
    </SignInCard>
  );
}
