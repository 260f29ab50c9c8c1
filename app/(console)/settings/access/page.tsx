import type { Metadata } from 'next';
import { AccessControlPanel } from '@/components/access/access-control-panel';
import { LoadError } from '@/components/access/load-error';
import { readTrail, trailLinks } from '@/components/access/token-trail';
import { PageHeader } from '@/components/page-header';
import { memberQuerySchema } from '@/lib/member-schemas';
import { DEFAULT_MEMBER_PAGE_SIZE } from '@/lib/members';
import { requireMember } from '@/server/auth/dal';
import { listMemberPage } from '@/server/members';

export const metadata: Metadata = { title: 'Access control settings' };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AccessControlPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const session = await requireMember();
  const params = await searchParams;
  const query = memberQuerySchema.parse(params);

  const header = (
    <PageHeader
      title="Access control settings"
      description="Invite team members by email, choose their access level, and remove them."
      crumbs={[{ label: 'Settings', href: '/settings' }, { label: 'Access control settings' }]}
    />
  );

  let page: Awaited<ReturnType<typeof listMemberPage>>;
  try {
    page = await listMemberPage(session, query);
  } catch (error) {
    console.error(
      `access control: members not listed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return (
      <>
        {header}
        <LoadError
          heading="Team members could not be loaded"
          href="/settings/access"
          linkText="Go to the first page"
          message={
            query.page
              ? 'This page of the list is no longer available (the list changed, or the link is old).'
              : 'The identity service did not answer. Reload the page in a moment.'
          }
        />
      </>
    );
  }

  const filters = { q: query.q, level: query.level, status: query.status };
  const pagination = trailLinks({
    base: { ...filters, size: query.size === DEFAULT_MEMBER_PAGE_SIZE ? undefined : String(query.size) },
    tokenParam: 'page',
    current: query.page,
    trail: readTrail(params.back),
    next: page.nextPage,
  });

  return (
    <>
      {header}
      <AccessControlPanel
        members={page.members}
        canManage={session.accessLevel === 'full'}
        currentUsername={session.username}
        filters={{ ...filters, size: query.size }}
        pagination={pagination}
        total={page.total}
        order={page.order}
      />
    </>
  );
}
