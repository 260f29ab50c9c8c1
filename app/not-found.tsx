import type { Metadata } from 'next';
import { ConsoleShell } from '@/components/console-shell';
import { NotFoundMessage } from '@/components/not-found-message';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <ConsoleShell>
      <NotFoundMessage />
    </ConsoleShell>
  );
}
