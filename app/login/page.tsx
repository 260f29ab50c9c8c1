import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { RequestLinkForm } from '@/components/sign-in/request-link-form';
import { StudioDisabled } from '@/components/studio-disabled';
import { getSession, getSessionEnd, type SessionEnd } from '@/server/auth/dal';
import { isStudioDisabled } from '@/server/studio/availability';

export const metadata: Metadata = { title: 'Sign in' };

const ENDED: Record<SessionEnd, string> = {
  'access-changed': 'Your session ended because your access to this team changed. Sign in again to continue.',
  'signed-out': 'This session was signed out. Sign in again to continue.',
};

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await isStudioDisabled()) return <StudioDisabled />;
  if (await getSession()) redirect('/');
  const { email } = await searchParams;
  // A sealed, unexpired cookie that no longer opens a session: signed out elsewhere, or access changed.
  const ended = await getSessionEnd();
  return (
    <RequestLinkForm
      initialEmail={typeof email === 'string' ? email : undefined}
      notice={ended ? ENDED[ended] : undefined}
    />
  );
}
