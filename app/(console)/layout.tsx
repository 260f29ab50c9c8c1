import type { ReactNode } from 'react';
import { ConsoleShell } from '@/components/console-shell';
import { StudioDisabled } from '@/components/studio-disabled';
import { getSession } from '@/server/auth';
import { isStudioDisabled } from '@/server/studio/availability';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  if (await isStudioDisabled()) return <StudioDisabled />;
  // Only shapes the navigation; each page does its own check through the data access layer.
  const session = await getSession();
  return <ConsoleShell fullAccess={session?.accessLevel === 'full'}>{children}</ConsoleShell>;
}
