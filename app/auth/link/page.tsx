import type { Metadata } from 'next';
import { LinkSignIn } from '@/components/sign-in/link-sign-in';
import { StudioDisabled } from '@/components/studio-disabled';
import { getSession } from '@/server/auth/dal';
import { isStudioDisabled } from '@/server/studio/availability';

export const metadata: Metadata = { title: 'Sign in with your link', referrer: 'no-referrer' };

// GET and HEAD render this page and nothing else: the secret is in the fragment, which browsers never
// send, and only the "Sign in" button's POST spends it.
export default async function LinkPage() {
  if (await isStudioDisabled()) return <StudioDisabled />;
  const session = await getSession();
  return <LinkSignIn signedInAs={session?.email} />;
}
