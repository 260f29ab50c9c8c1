// The data access layer asks Cognito about the signed-in member at most once per 5 seconds per
// process; every write to members drops the whole cache, so this process sees its own changes at once
// and other instances within 5 s.
import type { MemberAccess } from '@/server/cognito/auth';

export const MEMBER_CACHE_TTL_MS = 5_000;

interface Entry {
  at: number;
  value: Promise<MemberAccess | null>;
}

const entries = new Map<string, Entry>();

/** The cached answer for `username`, or a fresh one from `load` (shared by concurrent callers). */
export function cachedMemberAccess(
  username: string,
  load: (username: string) => Promise<MemberAccess | null>,
  now = Date.now(),
): Promise<MemberAccess | null> {
  const entry = entries.get(username);
  if (entry && now - entry.at < MEMBER_CACHE_TTL_MS) return entry.value;
  const fresh: Entry = { at: now, value: load(username) };
  entries.set(username, fresh);
  // Failures are not kept. (A write during the read clears the map, so that answer is not kept either.)
  fresh.value.catch(() => {
    if (entries.get(username) === fresh) entries.delete(username);
  });
  return fresh.value;
}

/** Call after every write to members (level, deletion, disabling, sign-in state). */
export function dropMemberAccessCache(): void {
  entries.clear();
}
