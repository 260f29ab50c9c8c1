import type { Metadata } from 'next';
import { ComingSoon } from '@/components/coming-soon';
import { PageHeader } from '@/components/page-header';
import { requireMember } from '@/server/auth/dal';

export const metadata: Metadata = { title: 'Activity' };

export default async function ActivityPage() {
  await requireMember();
  return (
    <>
      <PageHeader
        title="Activity"
        description="Who invited, changed or removed whom, and when."
        crumbs={[{ label: 'Settings', href: '/settings' }, { label: 'Activity' }]}
      />
      <ComingSoon heading="The activity log is coming">
        Every invitation, access level change, removal, sign-in and sign-out will be recorded here with who
        did it, to whom, when, and the outcome. Nothing is recorded yet.
      </ComingSoon>
    </>
  );
}
