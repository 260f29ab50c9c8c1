import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/console-shell';
import { getSession } from '@/server/auth';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // Only shapes the navigation; each page does its own check through the data access layer.
  const session = await getSession();
  return <ConsoleShell fullAccess={session?.accessLevel === 'full'}>{children}</ConsoleShell>;
}
