import { createHash, randomBytes } from 'node:crypto';
import { MEMBER_CACHE_TTL_MS } from './member-cache';
import type { SessionRecord, SessionStore } from './session-store';
import { ShortLivedCache } from './short-cache';

// The rules of session records, on any SessionStore: a 256-bit random id goes into the sealed
// cookie and only its SHA-256 into the store; a session is live while its record exists, is not
// revoked and has not reached its absolute end. The data access layer reads records through a cache
// of at most 5 s (as it does members), dropped on every revoke made by this process.

const SESSION_ID_BYTES = 32;
/** How stale a record's lastSeenAt may get: one write a minute per session, not one per request. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
export const SESSION_RECORD_CACHE_TTL_MS = MEMBER_CACHE_TTL_MS;
/** Expired records are deleted at most this often per process (at a sign-in). */
const PRUNE_INTERVAL_MS = 3_600_000;

const records = new ShortLivedCache<SessionRecord | null>(SESSION_RECORD_CACHE_TTL_MS);
let lastPrune = Number.NEGATIVE_INFINITY;

/** The store key of a session id. A fast hash is enough: the id is 256 random bits, not a password. */
export function sessionKey(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('base64url');
}

/** A new session for the member, ending `ttlMs` from `now`: its id (for the cookie only) and end. */
export async function createSessionRecord(
  store: SessionStore,
  member: { sub: string; username: string },
  { now, ttlMs }: { now: number; ttlMs: number },
): Promise<{ sessionId: string; expiresAt: number }> {
  if (now - lastPrune >= PRUNE_INTERVAL_MS) {
    lastPrune = now;
    try {
      await store.pruneExpired(now);
    } catch (error) {
      // Old records only take room; the sign-in goes on.
      console.error(`session records not pruned: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const sessionId = randomBytes(SESSION_ID_BYTES).toString('base64url');
  const expiresAt = now + ttlMs;
  await store.create({
    key: sessionKey(sessionId),
    sub: member.sub,
    username: member.username,
    createdAt: now,
    expiresAt,
  });
  return { sessionId, expiresAt };
}

/**
 * The record of a live session with this id belonging to the member with this `sub`, or null when
 * it is unknown, revoked, over, or someone else's. The answer may be up to 5 s old unless this process
 * revoked it. Marks the session seen at most once per SESSION_TOUCH_INTERVAL_MS.
 */
export async function liveSessionRecord(
  store: SessionStore,
  sessionId: string,
  sub: string,
  now = Date.now(),
): Promise<SessionRecord | null> {
  const key = sessionKey(sessionId);
  const record = await records.get(key, () => store.get(key), now);
  if (!record || record.revokedAt !== null || record.expiresAt <= now || record.sub !== sub) return null;
  if (now - record.lastSeenAt >= SESSION_TOUCH_INTERVAL_MS) {
    // The cached copy too, so the requests of the next few seconds do not write again.
    record.lastSeenAt = now;
    await store.touch(key, now);
  }
  return record;
}

/** Ends one session (sign-out); its next request, with any copy of the cookie, is refused. */
export async function endSessionRecord(store: SessionStore, sessionId: string, now = Date.now()) {
  try {
    return await store.revoke(sessionKey(sessionId), now);
  } finally {
    records.drop();
  }
}

/** Ends every session of the member (sign out of all sessions, removal); how many were live. */
export async function endMemberSessionRecords(
  store: SessionStore,
  username: string,
  now = Date.now(),
): Promise<number> {
  try {
    return await store.revokeAllForMember(username, now);
  } finally {
    records.drop();
  }
}
