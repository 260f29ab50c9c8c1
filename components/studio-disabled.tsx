'use client';

import { Text } from '@aws-amplify/ui-react';
import { SignInCard } from '@/components/sign-in/sign-in-card';

/** Shown instead of signing in, and instead of the console, while Studio's user pool does not exist. */
export function StudioDisabled() {
  return (
    <SignInCard title="Studio is disabled">
      <Text>
        This Studio has no user pool, so nobody can sign in: it was disabled (which exports the team and their
        access levels first), or its pool was deleted.
      </Text>
      <Text color="font.secondary">
        To enable it again, the operator runs <code>npm run studio -- enable --reinvite &lt;export&gt;</code>{' '}
        where Studio Access runs; everyone then gets a new invitation at their level.
      </Text>
    </SignInCard>
  );
}
