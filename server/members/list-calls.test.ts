// What one page of the Access control table costs in Cognito calls, counted on the SDK client (every
// attempt, retries included): one listing call of at most one Cognito page (60, what a team total and
// the email order need), and nothing walks the pool. A team that one listing holds gets its levels
// from its two groups (one listing each: at most 3 calls a view); a larger pool reads the levels of
// the rows it shows only. Cognito's quota counts calls, not users, so a listing of 60 costs what a
// listing of 25 does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLevel } from '@/lib/access-levels';
import type { MemberQuery } from '@/lib/member-schemas';
import { recordCognitoCalls } from '@/server/cognito/call-count';
import { addToAccessGroup } from '@/server/cognito/member-admin';
import { listMemberPage, type MemberListPage } from './list';
import { mapConcurrent } from './rules';
import { addMember, type MembersFixture, startMembersFixture, type TestPool } from './test-fixture';

const POOL_SIZE = 90; // more than one ListUsers call (60 at most) could return
const LISTING = new Set(['ListUsers', 'ListUsersInGroup']);
const COGNITO_PAGE = 60; // the largest Limit ListUsers and ListUsersInGroup take
/** Calls that listing both access groups costs: a view needs more rows than this to prefer it. */
const GROUP_LISTINGS_COST = 2;

let fx: MembersFixture;
let pool: TestPool;

beforeAll(async () => {
  fx = await startMembersFixture();
  pool = await fx.newPool();
  await mapConcurrent(
    Array.from({ length: POOL_SIZE - 1 }, (_, i) => i),
    8,
    (i) =>
      addMember(fx.client, pool.poolId, `m.${String(i).padStart(3, '0')}@example.com`, {
        level: i % 5 === 0 ? 'full' : 'manage',
        active: i % 2 === 0,
      }),
  );
}, 60_000);

afterAll(async () => {
  await fx?.close();
});

async function view(query: Omit<MemberQuery, 'size'>, on: TestPool = pool) {
  const recording = recordCognitoCalls();
  let page: MemberListPage;
  try {
    page = await listMemberPage(on.admin, { size: 25, ...query }, on.context);
  } finally {
    recording.stop();
  }
  const listing = recording.calls.filter((call) => LISTING.has(call.operation));
  return {
    page,
    shown: page.members.length,
    recording,
    listingCalls: listing.length,
    listed: listing.reduce((sum, call) => sum + call.users, 0),
    largestLimit: Math.max(...listing.map((call) => Number(call.input.Limit))),
    operations: new Set(recording.calls.map((call) => call.operation)),
  };
}

describe('Cognito calls per page view (page of 25)', () => {
  it('first page and the next: one ListUsers of one Cognito page, one level read per row shown', async () => {
    const first = await view({});
    expect(first.shown).toBe(25);
    expect(first.listingCalls).toBe(1);
    expect(first.largestLimit).toBeLessThanOrEqual(COGNITO_PAGE);
    expect(first.listed).toBeLessThanOrEqual(COGNITO_PAGE);
    expect(first.listed).toBeLessThan(POOL_SIZE);
    expect(first.recording.count('AdminListGroupsForUser')).toBe(first.shown);
    // A pool larger than one listing is counted from its estimate: one DescribeUserPool.
    expect([...first.operations].sort()).toEqual(['AdminListGroupsForUser', 'DescribeUserPool', 'ListUsers']);
    expect(first.recording.count('DescribeUserPool')).toBe(1);
    expect(first.recording.count()).toBe(1 + first.shown + 1);

    const next = await view({ page: first.page.nextPage });
    expect(next.shown).toBe(25);
    expect(next.page.members.map((m) => m.email)).not.toContain(first.page.members[0]?.email);
    expect(next.listingCalls).toBe(1);
    expect(next.listed).toBeLessThanOrEqual(COGNITO_PAGE);
    expect(next.recording.count()).toBe(1 + next.shown + next.recording.count('DescribeUserPool'));
    expect(next.recording.count('DescribeUserPool')).toBeLessThanOrEqual(1);
  });

  it('an email prefix search lists only what it shows', async () => {
    const search = await view({ q: 'm.01' });
    expect(search.page.members.map((m) => m.email)).toEqual(
      Array.from({ length: 10 }, (_, i) => `m.01${i}@example.com`),
    );
    expect(search.listingCalls).toBe(1);
    expect(search.listed).toBe(search.shown);
    expect(search.recording.count()).toBe(1 + search.shown);
  });

  it('a level filter lists the group, a page at a time, and needs no level reads', async () => {
    for (const level of ['manage', 'full'] as const) {
      const filtered = await view({ level });
      expect(filtered.shown).toBeGreaterThan(0);
      expect(filtered.page.members.every((m) => m.accessLevel === level)).toBe(true);
      expect(filtered.listingCalls).toBe(1);
      expect(filtered.largestLimit).toBeLessThanOrEqual(COGNITO_PAGE);
      expect(filtered.listed).toBeLessThanOrEqual(COGNITO_PAGE);
      expect([...filtered.operations]).toEqual(['ListUsersInGroup']);
    }
  });

  it('a status the console tells apart itself reads one batch, not the pool', async () => {
    const pending = await view({ status: 'pending' });
    expect(pending.shown).toBe(25);
    expect(pending.page.members.every((m) => m.status === 'pending')).toBe(true);
    expect(pending.listingCalls).toBe(1);
    expect(pending.listed).toBeLessThan(POOL_SIZE);
    expect(pending.recording.count('AdminListGroupsForUser')).toBe(pending.shown);
  });
});

describe('Cognito calls per page view, a team of 60 (page of 25)', () => {
  const TEAM = 60; // the largest team one listing holds
  let team: TestPool;
  /** Each member's level as the table must show it: Full access wins over Manage only. */
  const levels = new Map<string, AccessLevel | null>();
  /** And the groups each member is in. */
  const groups = new Map<string, AccessLevel[]>();

  beforeAll(async () => {
    team = await fx.newPool();
    levels.set(team.admin.email, 'full');
    groups.set(team.admin.email, ['full']);
    await mapConcurrent(
      Array.from({ length: TEAM - 1 }, (_, i) => i),
      8,
      async (i) => {
        const email = `t.${String(i).padStart(2, '0')}@example.com`;
        // Every seventh in no group, every fifth in both, else one of the two.
        const level: AccessLevel | null = i % 7 === 0 ? null : i % 3 === 0 ? 'full' : 'manage';
        const username = await addMember(fx.client, team.poolId, email, { level, active: i % 2 === 0 });
        if (level === 'manage' && i % 5 === 0) {
          await addToAccessGroup(team.context.cognito, username, 'full');
          levels.set(email, 'full');
          groups.set(email, ['full', 'manage']);
        } else {
          levels.set(email, level);
          groups.set(email, level ? [level] : []);
        }
      },
    );
  }, 60_000);

  it('every page: one ListUsers and the two groups listed, levels exact', async () => {
    const shown: string[] = [];
    let page: string | undefined;
    do {
      const next = await view({ page }, team);
      expect(next.recording.count()).toBeLessThanOrEqual(3);
      expect(next.recording.count('AdminListGroupsForUser')).toBe(0);
      expect(next.page.total).toEqual({ count: TEAM, exact: true, filtered: false });
      for (const member of next.page.members) {
        expect({ email: member.email, level: member.accessLevel }).toEqual({
          email: member.email,
          level: levels.get(member.email),
        });
      }
      shown.push(...next.page.members.map((m) => m.email));
      page = next.page.nextPage;
    } while (page);
    expect(shown).toEqual([...levels.keys()].sort());
    // The team holds members in both groups and in none.
    expect([...levels.values()].filter((level) => level === null).length).toBeGreaterThan(0);
  });

  it('a level filter costs at most 3 calls and shows the members of that group (or of none)', async () => {
    for (const level of ['full', 'manage', 'none'] as const) {
      const filtered = await view({ level }, team);
      expect(filtered.recording.count()).toBeLessThanOrEqual(3);
      const expected = [...groups]
        .filter(([, held]) => (level === 'none' ? held.length === 0 : held.includes(level)))
        .map(([email]) => email)
        .sort();
      expect(filtered.page.members.map((m) => m.email)).toEqual(expected.slice(0, 25));
    }
  });

  it('a status filter or a search, after a view that saw the whole team, costs at most 3 calls', async () => {
    await view({}, team);
    for (const query of [{ status: 'active' as const }, { status: 'pending' as const }, { q: 't.1' }]) {
      const filtered = await view(query, team);
      expect(filtered.shown).toBeGreaterThan(GROUP_LISTINGS_COST);
      expect(filtered.recording.count()).toBeLessThanOrEqual(3);
      for (const member of filtered.page.members) {
        expect({ email: member.email, level: member.accessLevel }).toEqual({
          email: member.email,
          level: levels.get(member.email),
        });
      }
    }
  });

  it('a team that grew past one listing since: the groups turn out long, levels read per row, exact', async () => {
    const grown = await fx.newPool();
    await mapConcurrent(
      Array.from({ length: 20 }, (_, i) => i),
      8,
      (i) =>
        addMember(fx.client, grown.poolId, `g.${String(i).padStart(2, '0')}@example.com`, {
          level: 'manage',
        }),
    );
    expect((await view({}, grown)).recording.count()).toBeLessThanOrEqual(3);
    await mapConcurrent(
      Array.from({ length: 60 }, (_, i) => i),
      8,
      (i) =>
        addMember(fx.client, grown.poolId, `h.${String(i).padStart(2, '0')}@example.com`, {
          level: 'manage',
        }),
    );
    // A search whose 20 matches fit one listing: the group listings find Manage only longer than one
    // page, so the rows are read one by one, and each level is exact.
    const search = await view({ q: 'g.' }, grown);
    expect(search.shown).toBe(20);
    expect(search.page.members.every((m) => m.accessLevel === 'manage')).toBe(true);
    expect(search.recording.count('ListUsersInGroup')).toBe(GROUP_LISTINGS_COST);
    expect(search.recording.count('AdminListGroupsForUser')).toBe(20);
    // Now known to be large: the next search reads per row only, as a large pool's does.
    const again = await view({ q: 'g.' }, grown);
    expect(again.recording.count()).toBe(1 + again.shown);
  });
});
