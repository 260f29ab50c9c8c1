import { type AccessLevel, accessLevelLabel } from '@/lib/access-levels';
import type { CognitoContext } from '@/server/cognito/client';
import { hasOtherFullAccessMember, type MemberRecord } from '@/server/cognito/members';
import type { MembersContext } from './context';
import { teamLockName, withTeamLease } from './team-lease';

// The rules that are not one Cognito call: the last Full-access member stays, and the helpers the
// service shares (serialising guarded writes, bounded parallelism).

export const LAST_FULL_ACCESS_DEMOTE = "You can't demote the last Full access member.";
export const LAST_FULL_ACCESS_REMOVE = "You can't remove the last Full access member.";

/**
 * Runs one task at a time, in arrival order. Demoting or removing a Full-access member happens under
 * one process-wide lock, so two requests cannot each see "another Full-access member remains" and
 * together remove both; across processes the team lease (./team-lease) does the same.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export const fullAccessQueue = new SerialQueue();

/**
 * Runs a change that may take Full access away: one at a time in this process (fullAccessQueue),
 * and under the team lease across processes, so its last-admin check and its write are one step.
 */
export function guardedFullAccessChange<T>(
  ctx: Pick<MembersContext, 'teamLease' | 'cognito'>,
  task: () => Promise<T>,
): Promise<T> {
  return fullAccessQueue.run(() => withTeamLease(ctx.teamLease, teamLockName(ctx.cognito.poolId), task));
}

/**
 * Whether a member counts for the last-admin rule: enabled and accepted (Active). A Pending or
 * Expired invitee may never sign in, and a disabled member cannot, so neither keeps the team managed.
 */
export function countsAsFullAccessHolder(member: Pick<MemberRecord, 'enabled' | 'status'>): boolean {
  return member.enabled && member.status === 'active';
}

/**
 * Whether taking `member` out of Full access (demote, disable, delete) would leave the team without
 * a Full-access member who can sign in (see countsAsFullAccessHolder). Taking out a member who does
 * not count never does.
 */
export async function wouldLeaveNoFullAccess(
  ctx: CognitoContext,
  member: Pick<MemberRecord, 'username' | 'enabled' | 'status'>,
  levels: readonly AccessLevel[],
): Promise<boolean> {
  if (!levels.includes('full') || !countsAsFullAccessHolder(member)) return false;
  return !(await hasOtherFullAccessMember(ctx, new Set([member.username]), countsAsFullAccessHolder));
}

export function levelText(level: AccessLevel | null): string {
  return level ? accessLevelLabel(level) : 'No access level';
}

/** Runs `task` on every item with at most `limit` in flight; results in the items' order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** An error's message for a person, from an IdentityError or anything else. */
export function reason(error: unknown): string {
  const text = error instanceof Error && error.message ? error.message : String(error);
  return text.endsWith('.') ? text : `${text}.`;
}
