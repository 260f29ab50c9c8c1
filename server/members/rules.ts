import { type AccessLevel, accessLevelLabel } from '@/lib/access-levels';
import type { CognitoContext } from '@/server/cognito/client';
import { hasOtherEnabledFullAccessMember, type MemberRecord } from '@/server/cognito/members';

// The rules that are not one Cognito call: the last Full-access member stays, and the helpers the
// service shares (serialising guarded writes, bounded parallelism).

export const LAST_FULL_ACCESS_DEMOTE = "You can't demote the last Full access member.";
export const LAST_FULL_ACCESS_REMOVE = "You can't remove the last Full access member.";

/**
 * Runs one task at a time, in arrival order. Demoting or removing a Full-access member happens under
 * one process-wide lock, so two requests cannot each see "another Full-access member remains" and
 * together remove both. (One console process per pool; several would need a shared lock.)
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
 * Whether taking `member` out of Full access (demote, disable, delete) would leave the team without
 * an enabled Full-access member. A disabled member already counts for nothing.
 */
export async function wouldLeaveNoFullAccess(
  ctx: CognitoContext,
  member: Pick<MemberRecord, 'username' | 'enabled'>,
  levels: readonly AccessLevel[],
): Promise<boolean> {
  if (!levels.includes('full') || !member.enabled) return false;
  return !(await hasOtherEnabledFullAccessMember(ctx, new Set([member.username])));
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
