'use client';

import {
  Alert,
  Button,
  Flex,
  PasswordField,
  Radio,
  RadioGroupField,
  Text,
  TextField,
} from '@aws-amplify/ui-react';
import NextLink from 'next/link';
import { useActionState, useState } from 'react';
import type { InvitationState } from '@/lib/sign-in';
import { acceptInvitationAction, checkInvitationAction } from '@/server/actions/sign-in';
import { SignInCard } from './sign-in-card';

const initial: InvitationState = { status: 'idle' };

/**
 * /invite: step 1 checks the email and temporary password from the invitation; step 2 sets a new
 * password or chooses email sign-in links only; Cognito then confirms the member and they are in.
 */
export function InvitationForm({ initialEmail, signedInAs }: { initialEmail?: string; signedInAs?: string }) {
  const [checked, checkAction, checking] = useActionState(checkInvitationAction, initial);
  const [accepted, acceptAction, accepting] = useActionState(acceptInvitationAction, initial);
  const [email, setEmail] = useState(initialEmail ?? '');
  const [temporaryPassword, setTemporaryPassword] = useState('');
  const [method, setMethod] = useState<'password' | 'links'>('password');
  // An answer of step 2 stops counting once step 1 is submitted again.
  const [dismissed, setDismissed] = useState<InvitationState>(initial);
  const acceptedActive = accepted.status !== 'idle' && accepted !== dismissed;

  const latest = acceptedActive ? accepted : checked;
  if (latest.expired) {
    return (
      <SignInCard title="Your invitation has expired">
        <Alert variation="warning" isDismissible={false} hasIcon role="alert">
          {latest.message}
        </Alert>
        <Text color="font.secondary">
          Temporary passwords work for 7 days. A new invitation comes with a new temporary password.
        </Text>
      </SignInCard>
    );
  }

  // Step 2 while the temporary password is known good; a refusal of the temporary password in step 2
  // (it expired meanwhile, or was replaced by a resend) goes back to step 1.
  const onStepTwo = checked.verified === true && !checking && (!acceptedActive || accepted.verified === true);
  if (onStepTwo) {
    const passwordError = accepted.fieldErrors?.newPassword?.[0];
    return (
      <SignInCard title="Finish joining your team" description={`Signing in as ${email}.`}>
        {acceptedActive && accepted.message && !passwordError ? (
          <Alert variation="error" isDismissible={false} hasIcon role="alert">
            {accepted.message}
          </Alert>
        ) : null}
        <form action={acceptAction}>
          <input type="hidden" name="email" value={email} />
          <input type="hidden" name="temporaryPassword" value={temporaryPassword} />
          <Flex direction="column" gap="medium">
            <RadioGroupField
              legend="How do you want to sign in?"
              name="method"
              value={method}
              onChange={(event) => setMethod(event.target.value === 'links' ? 'links' : 'password')}
            >
              <Radio value="password">Set a new password</Radio>
              <Radio value="links">Use email sign-in links only</Radio>
            </RadioGroupField>
            {method === 'password' ? (
              <PasswordField
                label="New password"
                name="newPassword"
                autoComplete="new-password"
                descriptiveText="At least 8 characters, with upper- and lower-case letters, a number and a symbol."
                isRequired
                hasError={Boolean(passwordError)}
                errorMessage={passwordError}
              />
            ) : (
              <Text color="font.secondary">
                No password will be kept for you. Each time, enter your email on the sign-in page and we send
                a one-time link.
              </Text>
            )}
            <Button
              type="submit"
              variation="primary"
              isFullWidth
              isLoading={accepting}
              loadingText="Joining…"
            >
              Accept invitation
            </Button>
          </Flex>
        </form>
      </SignInCard>
    );
  }

  const step1 = latest;
  const emailError = step1.fieldErrors?.email?.[0];
  const temporaryError = step1.fieldErrors?.temporaryPassword?.[0];
  return (
    <SignInCard
      title="Accept your invitation"
      description="Enter your email and the temporary password from your invitation email."
      signedInAs={signedInAs}
    >
      {step1.status === 'error' && step1.message && !temporaryError && !emailError ? (
        <Alert variation="error" isDismissible={false} hasIcon role="alert">
          {step1.message}
        </Alert>
      ) : null}
      <form action={checkAction} onSubmit={() => setDismissed(accepted)} noValidate>
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
            value={temporaryPassword}
            onChange={(event) => setTemporaryPassword(event.target.value)}
            hasError={Boolean(temporaryError)}
            errorMessage={temporaryError}
          />
          <Button type="submit" variation="primary" isFullWidth isLoading={checking} loadingText="Checking…">
            Continue
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
