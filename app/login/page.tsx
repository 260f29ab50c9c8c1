import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { RequestLinkForm } from '@/components/sign-in/request-link-form';
import { getSession } from '@/server/auth/dal';
import { readSessionCookie } from '@/server/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await getSession()) redirect('/');
  const { email } = await searchParams;
  // A sealed, unexpired cookie that no longer passes the member check: access was removed or changed.
  const ended = (await readSessionCookie()) !== null;
  return (
    <RequestLinkForm
      initialEmail={typeof email === 'string' ? email : undefined}
      notice={
        ended
          ? 'Your session ended because your access to this team changed. Sign in again to continue.'
          : undefined
      }
    />
  );
}
