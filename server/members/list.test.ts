// listMemberPage over a pool of 131 members with mixed levels and statuses: every filter (and
// combinations Cognito cannot search in one call) pages through exactly the matching members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLevel } from '@/lib/access-levels';
import type { MemberQuery } from '@/lib/member-schemas';
import { hasFailedInviteEmail, type MemberRow, type MemberStatus } from '@/lib/members';
import { addToAccessGroup } from '@/server/cognito/member-admin';
import { listMemberPage } from './list';
import { mapConcurrent } from './rules';
import { addMember, DAY, type MembersFixture, startMembersFixture, type TestPool } from './test-fixture';

interface Truth {
  email: string;
  level: AccessLevel | null;
  status: MemberStatus;
  inviteFailed: boolean;
}

let fx: MembersFixture;
let pool: TestPool;
const truth = new Map<string, Truth>();
const prefixes = ['alpha', 'beta', 'gamma'];

beforeAll(async () => {
  fx = await startMembersFixture();
  pool = await fx.newPool();
  truth.set(pool.admin.email, {
    email: pool.admin.email,
    level: 'full',
    status: 'active',
    inviteFailed: false,
  });

  const plans = Array.from({ length: 130 }, (_, i) => {
    const email = `${prefixes[i % 3]}.${String(i).padStart(3, '0')}@example.com`;
    const level: AccessLevel | null = i % 10 === 0 ? 'full' : i % 10 === 1 ? null : 'manage';
    const status: MemberStatus = (['active', 'pending', 'disabled', 'expired'] as const)[i % 4]!;
    return { i, email, level, status };
  });
  // Expired invitations were issued more than 7 days ago on the service's clock.
  for (const expiredFirst of [true, false]) {
    fx.clock.offset = expiredFirst ? -8 * DAY : 0;
    await mapConcurrent(
      plans.filter((p) => (p.status === 'expired') === expiredFirst),
      8,
      async ({ i, email, level, status }) => {
        const username = await addMember(fx.client, pool.poolId, email, {
          level,
          active: status === 'active',
          disabled: status === 'disabled',
        });
        // Some invitations' emails failed (as the invite flow records it).
        const inviteFailed = (status === 'pending' || status === 'expired') && i % 3 === 1;
        if (inviteFailed || i % 5 === 0) {
          await fx.stores.invites.recordInvitation({
            email,
            username,
            invitedBy: pool.admin.email,
            accessLevel: level ?? 'manage',
            delivery: inviteFailed ? 'failed' : 'sent',
            deliveryError: inviteFailed ? 'Unable to deliver the message to the user.' : null,
            at: fx.clock.now(),
          });
        }
        truth.set(email, { email, level, status, inviteFailed });
      },
    );
  }
  fx.clock.offset = 0;
  // A failed invitation whose member was deleted outside the console is not listed.
  await fx.stores.invites.recordInvitation({
    email: 'deleted-elsewhere@example.com',
    username: 'no-such-user',
    invitedBy: pool.admin.email,
    accessLevel: 'manage',
    delivery: 'failed',
    deliveryError: null,
    at: Date.now(),
  });
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

/** Every page of a query, first to last; fails on a repeat or a runaway. */
async function allPages(query: Omit<MemberQuery, 'page'>) {
  const pages: MemberRow[][] = [];
  let page: string | undefined;
  for (let n = 0; n < 200; n++) {
    const result = await listMemberPage(pool.admin, { ...query, page }, pool.context);
    expect(result.members.length).toBeLessThanOrEqual(query.size);
    expect(Boolean(result.previous)).toBe(n > 0);
    pages.push(result.members);
    page = result.nextPage;
    if (!page) return pages;
  }
  throw new Error('more than 200 pages');
}

function expected(query: Omit<MemberQuery, 'page' | 'size'>): string[] {
  return [...truth.values()]
    .filter((m) => !query.q || m.email.startsWith(query.q))
    .filter((m) => {
      if (!query.level) return true;
      return query.level === 'none' ? m.level === null : m.level === query.level;
    })
    .filter((m) => {
      if (!query.status) return true;
      return query.status === 'invite-failed' ? m.inviteFailed : m.status === query.status;
    })
    .map((m) => m.email)
    .sort();
}

describe('listMemberPage', () => {
  it.each([10, 25, 50] as const)(
    'pages through all 131 members, %i at a time, each once, pages full',
    async (size) => {
      const pages = await allPages({ size });
      const emails = pages.flat().map((m) => m.email);
      expect(new Set(emails).size).toBe(emails.length);
      expect([...emails].sort()).toEqual(expected({}));
      // Cognito does the paging: every page but the last is full.
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(size);
      expect(pages).toHaveLength(Math.ceil(131 / size));
    },
  );

  it('shows each row with its level, status and invitation state', async () => {
    const rows = (await allPages({ size: 50 })).flat();
    for (const row of rows) {
      const known = truth.get(row.email)!;
      expect({ email: row.email, level: row.accessLevel, status: row.status }).toEqual({
        email: known.email,
        level: known.level,
        status: known.status,
      });
      expect(hasFailedInviteEmail(row)).toBe(known.inviteFailed);
      expect(row.enabled).toBe(known.status !== 'disabled');
      expect(Date.parse(row.lastChangedAt)).toBeGreaterThanOrEqual(Date.parse(row.createdAt));
    }
    const invited = rows.find((r) => r.email === 'alpha.015@example.com');
    expect(invited).toMatchObject({ invitedBy: pool.admin.email, inviteEmail: 'sent' });
  });

  const filtered: Omit<MemberQuery, 'page' | 'size'>[] = [
    { q: 'alpha' },
    { q: 'beta.1' },
    { q: 'nobody' },
    { level: 'full' },
    { level: 'manage' },
    { level: 'none' },
    { status: 'active' },
    { status: 'pending' },
    { status: 'disabled' },
    { status: 'expired' },
    { status: 'invite-failed' },
    { q: 'gamma', level: 'manage' },
    { q: 'alpha', level: 'full' },
    { q: 'alpha', status: 'expired' },
    { q: 'beta', level: 'none', status: 'pending' },
    { level: 'manage', status: 'pending' },
    { level: 'full', status: 'disabled' },
    { level: 'none', status: 'active' },
    { status: 'invite-failed', level: 'manage' },
    { status: 'invite-failed', q: 'gamma' },
  ];
  it.each(filtered)('filter %j: every matching member once, nothing else', async (filter) => {
    for (const size of [10, 25] as const) {
      const emails = (await allPages({ ...filter, size })).flat().map((m) => m.email);
      expect(new Set(emails).size).toBe(emails.length);
      expect([...emails].sort()).toEqual(expected(filter));
    }
  });

  it('gives full pages when Cognito applies the only filter (prefix, level)', async () => {
    for (const filter of [{ q: 'alpha' }, { level: 'manage' as const }]) {
      const pages = await allPages({ ...filter, size: 10 });
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(10);
    }
  });

  it('starts over on a page token that is malformed or made for other filters', async () => {
    const first = await listMemberPage(pool.admin, { size: 10 }, pool.context);
    const garbage = await listMemberPage(pool.admin, { size: 10, page: 'bm90LWEtdG9rZW4' }, pool.context);
    expect(garbage.members.map((m) => m.email)).toEqual(first.members.map((m) => m.email));
    const otherFilter = await listMemberPage(
      pool.admin,
      { size: 10, q: 'alpha', page: first.nextPage },
      pool.context,
    );
    expect(otherFilter.previous).toBeUndefined();
    expect(otherFilter.members.every((m) => m.email.startsWith('alpha'))).toBe(true);
  });
});

describe('listMemberPage: the total and the order', () => {
  it('sorts a team that one listing holds by email, and counts it exactly', async () => {
    const team = await fx.newPool();
    const emails = ['kai', 'bo', 'zed', 'ana', 'lu', 'mo', 'cy', 'yu', 'ed', 'ti', 'ro'].map(
      (n) => `${n}@team.example`,
    );
    await mapConcurrent(emails, 4, (email) => addMember(fx.client, team.poolId, email, { level: 'manage' }));
    const everyone = [...emails, team.admin.email].sort();

    const first = await listMemberPage(team.admin, { size: 10 }, team.context);
    expect(first.members.map((m) => m.email)).toEqual(everyone.slice(0, 10));
    expect(first).toMatchObject({ total: { count: 12, exact: true, filtered: false }, order: 'email' });
    const second = await listMemberPage(team.admin, { size: 10, page: first.nextPage }, team.context);
    expect(second.members.map((m) => m.email)).toEqual(everyone.slice(10));
    expect(second.nextPage).toBeUndefined();
    expect(second.total).toEqual({ count: 12, exact: true, filtered: false });

    // A search that one listing answers: sorted, and counted as matches.
    const found = await listMemberPage(team.admin, { size: 10, q: 'm' }, team.context);
    expect(found.members.map((m) => m.email)).toEqual(['mo@team.example']);
    expect(found.total).toEqual({ count: 1, exact: true, filtered: true });
  });

  it("gives a larger pool's estimate and says its rows come in listing order", async () => {
    const page = await listMemberPage(pool.admin, { size: 25 }, pool.context);
    expect(page).toMatchObject({ total: { count: 131, exact: false, filtered: false }, order: 'listing' });
    // A search whose matches fit one listing is sorted again.
    const alpha = await listMemberPage(pool.admin, { size: 50, q: 'alpha' }, pool.context);
    const expectedAlpha = expected({ q: 'alpha' });
    expect(alpha.members.map((m) => m.email)).toEqual(expectedAlpha);
    expect(alpha).toMatchObject({ total: { count: expectedAlpha.length, exact: true }, order: 'email' });
    // The failed invitations come from the console's own records, by email.
    expect(
      (await listMemberPage(pool.admin, { size: 10, status: 'invite-failed' }, pool.context)).order,
    ).toBe('email');
    // Filters applied here (level over a prefix listing) leave the count unknown.
    const mixed = await listMemberPage(pool.admin, { size: 10, q: 'gamma', level: 'manage' }, pool.context);
    expect(mixed.total).toBeUndefined();
  });
});

describe('listMemberPage: a team that one listing holds (levels from its two groups)', () => {
  it('shows the level each member holds, in both groups or in none, under every filter', async () => {
    const team = await fx.newPool();
    const known = new Map<string, { level: AccessLevel | null; status: MemberStatus }>([
      [team.admin.email, { level: 'full', status: 'active' }],
    ]);
    await mapConcurrent(
      Array.from({ length: 40 }, (_, i) => i),
      8,
      async (i) => {
        const email = `s.${String(i).padStart(2, '0')}@example.com`;
        // 0: both groups, 1: Full access, 2: none, else Manage only.
        const kind = i % 6;
        const status = (['active', 'pending', 'disabled'] as const)[(i + Math.floor(i / 6)) % 3]!;
        const username = await addMember(fx.client, team.poolId, email, {
          level: kind === 2 ? null : kind === 1 ? 'full' : 'manage',
          active: status === 'active',
          disabled: status === 'disabled',
        });
        if (kind === 0) await addToAccessGroup(team.context.cognito, username, 'full');
        known.set(email, { level: kind === 0 || kind === 1 ? 'full' : kind === 2 ? null : 'manage', status });
      },
    );

    const queries: Omit<MemberQuery, 'page' | 'size'>[] = [
      {},
      { level: 'none' },
      { status: 'active' },
      { status: 'disabled' },
      { level: 'none', status: 'pending' },
      { q: 's.1' },
    ];
    for (const query of queries) {
      const rows: MemberRow[] = [];
      let page: string | undefined;
      do {
        const result = await listMemberPage(team.admin, { ...query, size: 10, page }, team.context);
        rows.push(...result.members);
        page = result.nextPage;
      } while (page);
      const expectedRows = [...known]
        .filter(([email]) => !query.q || email.startsWith(query.q))
        .filter(
          ([, m]) => !query.level || (query.level === 'none' ? m.level === null : m.level === query.level),
        )
        .filter(([, m]) => !query.status || m.status === query.status)
        .map(([email, m]) => ({ email, level: m.level, status: m.status }))
        .sort((a, b) => (a.email < b.email ? -1 : 1));
      expect(expectedRows.length).toBeGreaterThan(0);
      expect(
        rows
          .map((r) => ({ email: r.email, level: r.accessLevel, status: r.status }))
          .sort((a, b) => (a.email < b.email ? -1 : 1)),
      ).toEqual(expectedRows);
    }
  });
});
