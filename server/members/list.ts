import 'server-only';
import { createHash } from 'node:crypto';
import { type AccessLevel, strongestLevel } from '@/lib/access-levels';
import type { MemberQuery } from '@/lib/member-schemas';
import { hasFailedInviteEmail, type MemberRow } from '@/lib/members';
import {
  getEstimatedMemberCount,
  getMemberRecord,
  listAccessGroupRecords,
  listUserRecords,
  MAX_PAGE_SIZE,
  type MemberRecord,
  type UserFilter,
} from '@/server/cognito/members';
import { withThrottleRetry } from '@/server/cognito/throttle';
import { type Actor, getMembersContext, type MembersContext } from './context';
import { GROUP_LISTINGS, noteTeamFitsOneListing, readLevels, teamFitsOneListing } from './levels';
import { mapConcurrent } from './rules';
import type { InviteRecord } from './stores';

// One page of the members table, straight from Cognito's paginated reads (never the whole pool).
// Cognito searches one attribute per call, so the most selective filter goes to Cognito and the others
// are applied here while the page fills, with a bounded number of extra calls: a page of a very
// selective combination may come back short, with a `nextPage` that continues the search.

export interface MemberListPage {
  members: MemberRow[];
  /** Opaque; pass as `page` for the next page. Absent on the last page. */
  nextPage?: string;
  /** This is not the first page. */
  previous?: boolean;
  /**
   * The page stopped searching before it was full (filters Cognito cannot apply, over a large pool);
   * `nextPage` continues the search. An empty page with this set means "none found so far".
   */
  incomplete?: true;
  /**
   * How many members (or, with filters, matches) there are: exact when one listing held them all,
   * else the pool's estimate (only without filters). Absent when unknown.
   */
  total?: { count: number; exact: boolean; filtered: boolean };
  /**
   * 'email' when the whole list came from one listing and is sorted by email; 'listing' when rows
   * come in Cognito's listing order, page by page (a pool too large to read at once).
   */
  order: 'email' | 'listing';
}

/**
 * How long a page view may keep searching for rows that pass the filters Cognito could not apply;
 * then it returns what it found (possibly a short page) with a `nextPage` that continues the search.
 */
const SCAN_BUDGET_MS = 100;
/** Hard limits per page view, whatever the clock says. */
const MAX_LIST_CALLS = 40;
const MAX_LEVEL_READS = 300;

type Source =
  | { kind: 'users'; filter?: UserFilter }
  | { kind: 'group'; level: AccessLevel }
  | { kind: 'failed-invites' };

interface Plan {
  source: Source;
  /** Filters applied here, to what the source returns. */
  prefix?: string;
  level?: AccessLevel | 'none';
  status?: MemberQuery['status'];
}

/** Where a page starts: a source batch (token + the limit it was read with) and how much of it was used. */
interface Position {
  token?: string;
  limit: number;
  /** Raw items of that batch already shown or passed over. */
  skip: number;
  /** Username of the last of those, to find the place again if the batch shifted. */
  last?: string;
  /** Pages before this one. */
  page: number;
}

interface Candidate {
  record: MemberRecord;
  /** Known from the source (group listing) or once read. */
  levels?: AccessLevel[];
  invite?: InviteRecord;
}

interface Batch {
  items: Candidate[];
  nextToken?: string;
}

/**
 * The members on one page of the Access control table. Any member may read it (Manage-only members
 * see the table read-only).
 */
export async function listMemberPage(
  _actor: Actor,
  query: MemberQuery,
  context?: MembersContext,
): Promise<MemberListPage> {
  const ctx = context ?? (await getMembersContext());
  const plan = planFor(query);
  const key = queryKey(query);
  const start = decodePosition(query.page, key) ?? { limit: 0, skip: 0, page: 0 };
  const { rows, next, incomplete, whole } = await fillPage(ctx, plan, query.size, start);
  const filtered = Boolean(query.q || query.level || query.status);

  const levelsMissing = rows.filter((row) => row.levels === undefined);
  const [total] = await Promise.all([
    totalOf(ctx, plan, filtered, whole),
    readLevels(ctx, levelsMissing, groupsAreSmall(ctx, plan, whole)),
  ]);

  return {
    members: rows.map(toRow),
    ...(next ? { nextPage: encodePosition({ ...next, page: start.page + 1 }, key) } : {}),
    ...(start.page > 0 ? { previous: true } : {}),
    ...(incomplete && rows.length < query.size ? { incomplete } : {}),
    ...(total ? { total } : {}),
    // The console's list of failed invitations is kept by email.
    order: whole !== undefined || plan.source.kind === 'failed-invites' ? 'email' : 'listing',
  };
}

/**
 * The count, at no extra call when one listing held everything; without filters, a larger pool's
 * estimate (one DescribeUserPool call). Filters this page applies itself leave the count unknown.
 */
async function totalOf(
  ctx: MembersContext,
  plan: Plan,
  filtered: boolean,
  whole: number | undefined,
): Promise<MemberListPage['total']> {
  const filtersHere = plan.prefix !== undefined || plan.level !== undefined || plan.status !== undefined;
  if (whole !== undefined && !filtersHere) return { count: whole, exact: true, filtered };
  if (filtered) return undefined;
  const estimate = await withThrottleRetry(() => getEstimatedMemberCount(ctx.cognito), ctx.retry);
  return estimate === undefined ? undefined : { count: estimate, exact: false, filtered };
}

function planFor(query: MemberQuery): Plan {
  const { q, level, status } = query;
  // Cheapest first. The console's own list of failed invitations is tiny. Full access is the small,
  // privileged group: listing it (which gives each row's level for free) beats reading the groups of
  // every member a prefix matches. Then an email prefix (an index range in Cognito), then the large
  // Manage-only group, then a status.
  if (status === 'invite-failed') return { source: { kind: 'failed-invites' }, prefix: q, level, status };
  if (level === 'full') return { source: { kind: 'group', level }, prefix: q, status };
  if (q) return { source: { kind: 'users', filter: { emailPrefix: q } }, level, status };
  if (level === 'manage') return { source: { kind: 'group', level }, status };
  if (status === 'disabled') return { source: { kind: 'users', filter: { disabled: true } }, level, status };
  if (status === 'active') {
    return { source: { kind: 'users', filter: { userStatus: 'CONFIRMED' } }, level, status };
  }
  if (status === 'pending' || status === 'expired') {
    return { source: { kind: 'users', filter: { userStatus: 'FORCE_CHANGE_PASSWORD' } }, level, status };
  }
  return { source: { kind: 'users' }, level };
}

async function fillPage(
  ctx: MembersContext,
  plan: Plan,
  size: number,
  start: Position,
): Promise<{ rows: Candidate[]; next?: Omit<Position, 'page'>; incomplete?: true; whole?: number }> {
  const rows: Candidate[] = [];
  const levelReadsHere = plan.level !== undefined && plan.source.kind !== 'group';
  let position: Omit<Position, 'page'> = start;
  let listCalls = 0;
  let levelReads = 0;
  /** Set when the source's whole listing came in its first batch. */
  let whole: number | undefined;
  const deadline = performance.now() + SCAN_BUDGET_MS;
  const outOfTime = () => performance.now() >= deadline;

  for (;;) {
    if (listCalls > 0 && (listCalls === MAX_LIST_CALLS || outOfTime())) {
      return { rows, next: position, incomplete: true, whole };
    }
    // Resuming inside a batch re-reads it with the same limit, so it is the same batch. A listing is
    // read in full batches, so a team of up to MAX_PAGE_SIZE comes in one (then sorted by email).
    // The console's list of failed invitations is the filter itself: read what the page needs.
    const exact = plan.source.kind === 'failed-invites';
    const limit = position.skip > 0 ? position.limit : exact ? size - rows.length : MAX_PAGE_SIZE;
    const batch = await readBatch(ctx, plan, position.token, limit);
    listCalls++;
    if (plan.source.kind === 'users' && plan.source.filter === undefined) {
      noteTeamFitsOneListing(ctx.cognito.poolId, position.token === undefined && !batch.nextToken);
    }
    const items = batch.items;
    if (!exact && position.token === undefined && !batch.nextToken) {
      items.sort((a, b) => compareText(a.record.email, b.record.email));
      whole = items.length;
    }
    let index = resumeIndex(items, position);

    while (index < items.length && rows.length < size) {
      // The next few candidates that pass the cheap filters, as many as the page still needs.
      const chunk: number[] = [];
      let scan = index;
      while (scan < items.length && chunk.length < size - rows.length) {
        if (passesCheapFilters(plan, items[scan]!)) chunk.push(scan);
        scan++;
      }
      const unread = chunk.map((i) => items[i]!).filter((item) => item.levels === undefined);
      if (levelReadsHere && unread.length > 0) {
        // Groups known to be small: their two listings give every level in this batch at once.
        const small = groupsAreSmall(ctx, plan, whole) && unread.length > GROUP_LISTINGS;
        if (!small && levelReads > 0 && (levelReads + unread.length > MAX_LEVEL_READS || outOfTime())) {
          return { rows, next: positionAt(position.token, limit, items, index), incomplete: true, whole };
        }
        if (!small) levelReads += unread.length;
        await readLevels(ctx, unread, small, items);
      }
      index = scan;
      for (const i of chunk) {
        if (!passesLevelFilter(plan, items[i]!)) continue;
        rows.push(items[i]!);
        if (rows.length === size) {
          index = i + 1;
          break;
        }
      }
    }

    if (rows.length === size && index < items.length) {
      return { rows, next: positionAt(position.token, limit, items, index), whole };
    }
    if (!batch.nextToken) return { rows, whole };
    position = { token: batch.nextToken, limit: 0, skip: 0 };
    if (rows.length === size) return { rows, next: position };
  }
}

/**
 * Whether this view knows that neither access group holds more than one Cognito page: its listing
 * held the whole team, or (a filtered listing that came in one batch) an earlier view of this pool
 * found the whole team in one listing.
 */
function groupsAreSmall(ctx: MembersContext, plan: Plan, whole: number | undefined): boolean {
  if (whole === undefined || plan.source.kind !== 'users') return false;
  return plan.source.filter === undefined || teamFitsOneListing(ctx.cognito.poolId) === true;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function positionAt(
  token: string | undefined,
  limit: number,
  items: Candidate[],
  index: number,
): Omit<Position, 'page'> {
  return index === 0
    ? { token, limit: 0, skip: 0 }
    : { token, limit, skip: index, last: items[index - 1]!.record.username };
}

/** Where to continue in a re-read batch: after the last member shown, wherever it moved. */
function resumeIndex(items: Candidate[], position: Omit<Position, 'page'>): number {
  if (position.skip === 0) return 0;
  if (items[position.skip - 1]?.record.username === position.last) return position.skip;
  const found = items.findIndex((item) => item.record.username === position.last);
  return found >= 0 ? found + 1 : Math.min(position.skip, items.length);
}

async function readBatch(
  ctx: MembersContext,
  plan: Plan,
  token: string | undefined,
  limit: number,
): Promise<Batch> {
  const { source } = plan;
  if (source.kind === 'failed-invites') return readFailedInvites(ctx, plan.prefix, token, limit);
  const page = await withThrottleRetry(
    () =>
      source.kind === 'group'
        ? listAccessGroupRecords(ctx.cognito, source.level, { limit, token })
        : listUserRecords(ctx.cognito, { filter: source.filter, limit, token }),
    ctx.retry,
  );
  const invites = await ctx.invites.getMany(page.members.map((m) => m.email));
  return {
    items: page.members.map((record) => ({
      record,
      ...(source.kind === 'group' ? { levels: [source.level] } : {}),
      invite: matchingInvite(record, invites.get(record.email)),
    })),
    nextToken: page.nextToken,
  };
}

/** The members whose last invitation email failed, from the console's records, checked with Cognito. */
async function readFailedInvites(
  ctx: MembersContext,
  prefix: string | undefined,
  token: string | undefined,
  limit: number,
): Promise<Batch> {
  const { records, next } = await ctx.invites.listFailed({ after: token, prefix, limit });
  const found = await mapConcurrent(records, ctx.readConcurrency, async (invite) => {
    const record = await withThrottleRetry(
      () => getMemberRecord(ctx.cognito, invite.username ?? invite.email),
      ctx.retry,
    );
    // Deleted outside the console: forget the invitation.
    if (!record) await ctx.invites.remove(invite.email);
    return record ? { record, invite: matchingInvite(record, invite) } : undefined;
  });
  return { items: found.filter((item) => item !== undefined), nextToken: next };
}

/** The console's record, unless it is about an earlier member who had the same email. */
function matchingInvite(record: MemberRecord, invite: InviteRecord | undefined): InviteRecord | undefined {
  if (!invite) return undefined;
  return invite.username === null || invite.username === record.username ? invite : undefined;
}

function passesCheapFilters(plan: Plan, item: Candidate): boolean {
  const { record } = item;
  if (plan.prefix !== undefined && !record.email.startsWith(plan.prefix)) return false;
  if (plan.status === 'invite-failed') {
    return hasFailedInviteEmail({ status: record.status, inviteEmail: item.invite?.delivery ?? null });
  }
  if (plan.status !== undefined && record.status !== plan.status) return false;
  // Known already (group listing): no read needed to decide.
  return item.levels === undefined || passesLevelFilter(plan, item);
}

function passesLevelFilter(plan: Plan, item: Candidate): boolean {
  if (plan.level === undefined) return true;
  const level = strongestLevel(item.levels ?? []);
  return plan.level === 'none' ? level === null : level === plan.level;
}

function toRow(item: Candidate): MemberRow {
  const { record, invite } = item;
  const changedAt = Math.max(Date.parse(record.updatedAt), invite?.changedAt ?? 0);
  return {
    ...record,
    accessLevel: strongestLevel(item.levels ?? []),
    inviteEmail: invite?.delivery ?? null,
    inviteEmailError: invite?.delivery === 'failed' ? invite.deliveryError : null,
    invitedBy: invite?.invitedBy ?? null,
    lastChangedAt: new Date(changedAt).toISOString(),
  };
}

/** A token is only good for the filters it was made with; with others the list starts over. */
function queryKey(query: MemberQuery): string {
  return createHash('sha256')
    .update(JSON.stringify([query.q ?? '', query.level ?? '', query.status ?? '']))
    .digest('base64url')
    .slice(0, 10);
}

function encodePosition(position: Position, key: string): string {
  const packed = {
    k: key,
    n: position.page,
    ...(position.token ? { t: position.token } : {}),
    ...(position.skip > 0 ? { l: position.limit, s: position.skip, u: position.last } : {}),
  };
  return Buffer.from(JSON.stringify(packed), 'utf8').toString('base64url');
}

function decodePosition(page: string | undefined, key: string): Position | undefined {
  if (!page) return undefined;
  let packed: unknown;
  try {
    packed = JSON.parse(Buffer.from(page, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof packed !== 'object' || packed === null) return undefined;
  const { k, n, t, l, s, u } = packed as Record<string, unknown>;
  if (k !== key || !isCount(n)) return undefined;
  if (t !== undefined && typeof t !== 'string') return undefined;
  if (s === undefined) return { token: t, limit: 0, skip: 0, page: n };
  if (!isCount(s) || !isCount(l) || l < s || l > MAX_PAGE_SIZE || typeof u !== 'string') return undefined;
  return { token: t, limit: l, skip: s, last: u, page: n };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1_000_000;
}
