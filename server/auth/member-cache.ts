// The data access layer asks Cognito about the signed-in member at most once per 5 seconds per
// process; every write to members drops the whole cache, so this process sees its own changes at once
// and other instances within 5 s.
import type { MemberAccess } from '@/server/cognito/auth';
import { ShortLivedCache } from './short-cache';

export const MEMBER_CACHE_TTL_MS = 5_000;

const members = new ShortLivedCache<MemberAccess | null>(MEMBER_CACHE_TTL_MS);

/** The cached answer for `username`, or a fresh one from `load` (shared by concurrent callers). */
export function cachedMemberAccess(
  username: string,
  load: (username: string) => Promise<MemberAccess | null>,
  now = Date.now(),
): Promise<MemberAccess | null> {
  return members.get(username, () => load(username), now);
}

/** Call after every write to members (level, deletion, disabling, sign-in state). */
export function dropMemberAccessCache(): void {
  members.drop();
}
