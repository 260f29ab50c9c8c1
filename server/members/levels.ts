import 'server-only';
import { type AccessLevel, accessLevels } from '@/lib/access-levels';
import {
  getAccessLevels,
  listAccessGroupRecords,
  MAX_PAGE_SIZE,
  type MemberRecord,
} from '@/server/cognito/members';
import { withThrottleRetry } from '@/server/cognito/throttle';
import type { MembersContext } from './context';
import { mapConcurrent } from './rules';

// How a page of the members table learns its rows' access levels in few Cognito calls (the quotas
// are the account's, shared with the user's own apps): one AdminListGroupsForUser per row, or, for a
// team that one listing holds, one ListUsersInGroup per access group, which gives every level at once.

export interface LevelCandidate {
  record: MemberRecord;
  levels?: AccessLevel[];
}

/** Listing both access groups costs this many calls when each fits in one Cognito page. */
export const GROUP_LISTINGS = accessLevels.length;

/**
 * Per pool, what the last view that could tell saw: whether the whole team fits one listing. A
 * filtered listing says nothing of the groups' size, so it goes by this; a group listing that turns
 * out longer than one page corrects it (and that view falls back to per-row reads).
 */
const teamFits = new Map<string, boolean>();
const REMEMBERED_POOLS = 100;

export function noteTeamFitsOneListing(poolId: string, fits: boolean): void {
  teamFits.delete(poolId);
  teamFits.set(poolId, fits);
  if (teamFits.size > REMEMBERED_POOLS) teamFits.delete(teamFits.keys().next().value!);
}

export function teamFitsOneListing(poolId: string): boolean | undefined {
  return teamFits.get(poolId);
}

/**
 * Sets the levels of `items`: one AdminListGroupsForUser per member or, with `byGroups` (the caller
 * knows the groups are small) when that is cheaper, one ListUsersInGroup per access group, which also
 * sets the levels of `alsoKnown`. A group larger than one page (the team grew) leaves the members to
 * the per-member reads, so levels stay exact.
 */
export async function readLevels(
  ctx: MembersContext,
  items: LevelCandidate[],
  byGroups: boolean,
  alsoKnown: LevelCandidate[] = [],
): Promise<void> {
  const held = byGroups && items.length > GROUP_LISTINGS ? await readSmallGroups(ctx) : undefined;
  if (held) {
    for (const item of [...items, ...alsoKnown]) {
      item.levels = accessLevels.filter((level) => held.get(level)?.has(item.record.username));
    }
    return;
  }
  await mapConcurrent(items, ctx.readConcurrency, async (item) => {
    item.levels = await withThrottleRetry(
      () => getAccessLevels(ctx.cognito, item.record.username),
      ctx.retry,
    );
  });
}

/** Each access group's usernames from one listing each; undefined when a group needs more than one. */
async function readSmallGroups(ctx: MembersContext): Promise<Map<AccessLevel, Set<string>> | undefined> {
  const pages = await Promise.all(
    accessLevels.map((level) =>
      withThrottleRetry(
        () => listAccessGroupRecords(ctx.cognito, level, { limit: MAX_PAGE_SIZE }),
        ctx.retry,
      ),
    ),
  );
  if (pages.some((page) => page.nextToken)) {
    noteTeamFitsOneListing(ctx.cognito.poolId, false);
    return undefined;
  }
  return new Map(
    accessLevels.map((level, i) => [level, new Set(pages[i]!.members.map((member) => member.username))]),
  );
}
