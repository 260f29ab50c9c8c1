import type { Metadata } from 'next';
import { LoadError } from '@/components/access/load-error';
import { readTrail, trailLinks } from '@/components/access/token-trail';
import { ActivityPanel } from '@/components/activity/activity-panel';
import { PageHeader } from '@/components/page-header';
import { requireFullAccess } from '@/server/auth/dal';
import { listActivity } from '@/server/members';

export const metadata: Metadata = { title: 'Activity' };

const PAGE_SIZE = 50;

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
}

export default async function ActivityPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireFullAccess();
  const params = await searchParams;
  const member = first(params.member)?.toLowerCase().slice(0, 320);
  const cursor = first(params.cursor);

  const header = (
    <PageHeader
      title="Activity"
      description="Who invited, changed or removed whom, and when; every sign-in and sign-out, and refused sign-ins."
      crumbs={[{ label: 'Settings', href: '/settings' }, { label: 'Activity' }]}
    />
  );

  let page: Awaited<ReturnType<typeof listActivity>>;
  try {
    page = await listActivity(session, { member, cursor, limit: PAGE_SIZE });
  } catch (error) {
    console.error(`activity: not listed: ${error instanceof Error ? error.message : String(error)}`);
    return (
      <>
        {header}
        <LoadError
          heading="The activity log could not be read"
          message="Reload the page in a moment."
          href="/settings/activity"
          linkText="Show the latest activity"
        />
      </>
    );
  }

  return (
    <>
      {header}
      <ActivityPanel
        entries={page.entries}
        member={member}
        pagination={trailLinks({
          base: { member },
          tokenParam: 'cursor',
          current: cursor,
          trail: readTrail(params.back),
          next: page.nextCursor,
        })}
      />
    </>
  );
}
