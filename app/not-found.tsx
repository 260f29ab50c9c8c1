import type { Metadata } from 'next';
import { ConsoleShell } from '@/components/console-shell';
import { NotFoundMessage } from '@/components/not-found-message';
import { getSession } from '@/server/auth';

export const metadata: Metadata = { title: 'Page not found' };

export default async function NotFound() {
  const session = await getSession();
  return (
    <ConsoleShell fullAccess={session?.accessLevel === 'full'}>
      <NotFoundMessage />
    </ConsoleShell>
  );
}
