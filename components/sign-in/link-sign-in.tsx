'use client';

import { Alert, Button, Flex, Loader, Text } from '@aws-amplify/ui-react';
import { useActionState, useEffect, useRef, useState, useTransition } from 'react';
import type { LinkDescription, LinkSignInState } from '@/lib/sign-in';
import { describeSignInLinkAction, signInWithLinkAction } from '@/server/actions/sign-in';
import { LinkProblemView } from './link-problem';
import { SignInCard } from './sign-in-card';

const initial: LinkSignInState = { status: 'idle' };

/**
 * /auth/link#<secret>: the secret never leaves the browser on page load (fragments are not sent);
 * the page shows whom the link is for and spends it only when the person presses "Sign in".
 */
export function LinkSignIn({ signedInAs }: { signedInAs?: string }) {
  const secret = useRef<string | null>(null);
  const [description, setDescription] = useState<LinkDescription | null>(null);
  const [, startLookup] = useTransition();
  const [state, formAction, pending] = useActionState(signInWithLinkAction, initial);

  useEffect(() => {
    // Another link pasted into this tab changes only the fragment: start over with it.
    const restart = () => window.location.reload();
    window.addEventListener('hashchange', restart);
    return () => window.removeEventListener('hashchange', restart);
  }, []);

  useEffect(() => {
    if (secret.current !== null) return;
    secret.current = decodeURIComponent(window.location.hash.replace(/^#/, ''));
    // Out of the address bar (and the history, and screenshots) once read.
    window.history.replaceState(null, '', window.location.pathname);
    const value = secret.current;
    if (!value) {
      setDescription({
        status: 'problem',
        problem: 'invalid',
        message: 'This address has no sign-in link in it. Open the link from your email again.',
      });
      return;
    }
    startLookup(async () => setDescription(await describeSignInLinkAction(value)));
  }, []);

  if (state.problem) {
    const email = description?.status === 'valid' ? description.email : undefined;
    return <LinkProblemView problem={state.problem} email={email} />;
  }
  if (!description) {
    return (
      <SignInCard title="Checking your sign-in link">
        <Flex alignItems="center" gap="small" role="status">
          <Loader size="large" />
          <Text>One moment…</Text>
        </Flex>
      </SignInCard>
    );
  }
  if (description.status === 'problem') {
    return <LinkProblemView problem={description.problem} email={description.email} />;
  }
  return (
    <SignInCard
      title={`Sign in as ${description.email}`}
      description="This link signs you in to Studio Access once. Press the button to continue."
      signedInAs={signedInAs !== description.email ? signedInAs : undefined}
    >
      {state.status === 'error' && state.message ? (
        <Alert variation="error" isDismissible={false} hasIcon role="alert">
          {state.message}
        </Alert>
      ) : null}
      <form action={formAction}>
        <input type="hidden" name="secret" value={secret.current ?? ''} />
        <Button type="submit" variation="primary" isFullWidth isLoading={pending} loadingText="Signing in…">
          Sign in
        </Button>
      </form>
      <Text fontSize="small" color="font.tertiary">
        Not you? Close this page; nobody is signed in until the button is pressed.
      </Text>
    </SignInCard>
  );
}
