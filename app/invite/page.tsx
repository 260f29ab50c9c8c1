import type { Metadata } from 'next';
import { InvitationForm } from '@/components/sign-in/invitation-form';
import { StudioDisabled } from '@/components/studio-disabled';
import { getSession } from '@/server/auth/dal';
import { isStudioDisabled } from '@/server/studio/availability';

export const metadata: Metadata = { title: 'Accept your invitation', referrer: 'no-referrer' };

export default async function InvitePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  if (await isStudioDisabled()) return <StudioDisabled />;
  const session = await getSession();
  const { email } = await searchParams;
  return (
    <InvitationForm
      initialEmail={typeof email === 'string' ? email : undefined}
      signedInAs={session?.email}
    />
  );
}
