import type { Metadata } from 'next';
import { AccessLevelsOverview } from '@/components/access-levels-overview';
import { ComingSoon } from '@/components/coming-soon';
import { PageHeader } from '@/components/page-header';
import { requireMember } from '@/server/auth/dal';

export const metadata: Metadata = { title: 'Access control settings' };

export default async function AccessControlPage() {
  await requireMember();
  return (
    <>
      <PageHeader
        title="Access control settings"
        description="Invite team members by email, choose their access level, and remove them."
        crumbs={[{ label: 'Settings', href: '/settings' }, { label: 'Access control settings' }]}
      />
      <ComingSoon heading="Team members are coming">
        Adding team members, changing their access level and deleting them arrive in the next release. Until
        then this page lists no members, so nothing here is sample data.
      </ComingSoon>
      <AccessLevelsOverview />
    </>
  );
}
