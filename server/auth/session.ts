import 'server-only';
import { cookies } from 'next/headers';
import { getEnv } from '@/server/env';
import {
  type SessionData,
  sealSession,
  sessionCookieName,
  sessionCookieOptions,
  unsealSession,
} from './session-cookie';
import { getSessionStore } from './session-records';
import { createSessionRecord, endMemberSessionRecords, endSessionRecord } from './sessions';

/** The session the cookie carries (decrypted, unexpired), before any check of its record or the member. */
export async function readSessionCookie(): Promise<SessionData | null> {
  const env = getEnv();
  const jar = await cookies();
  return unsealSession(jar.get(sessionCookieName(env.publicUrl))?.value, env.sessionSecret, Date.now());
}

/**
 * Starts a session of SESSION_TTL for the member: a session record on the server, its id sealed in
 * the cookie. A session this browser held before is ended, not left live behind the new cookie.
 * Only in a server action or route handler.
 */
export async function startSession(member: {
  sub: string;
  username: string;
  email: string;
  refreshToken?: string;
}): Promise<void> {
  const env = getEnv();
  const previous = await readSessionCookie();
  if (previous) await endSessionRecord(getSessionStore(), previous.sessionId);
  const issuedAt = Date.now();
  const { sessionId, expiresAt } = await createSessionRecord(getSessionStore(), member, {
    now: issuedAt,
    ttlMs: env.sessionTtlMs,
  });
  const value = await sealSession({ ...member, sessionId, issuedAt, expiresAt }, env.sessionSecret);
  const jar = await cookies();
  jar.set(
    sessionCookieName(env.publicUrl),
    value,
    sessionCookieOptions(env.publicUrl, Math.floor(env.sessionTtlMs / 1000)),
  );
}

/** Ends the session with this id on the server: every copy of its cookie stops working. */
export async function endSession(sessionId: string): Promise<void> {
  await endSessionRecord(getSessionStore(), sessionId);
}

/** Ends every session of the member on the server; how many were live. */
export async function endMemberSessions(username: string): Promise<number> {
  return endMemberSessionRecords(getSessionStore(), username);
}

export async function clearSessionCookie(): Promise<void> {
  const env = getEnv();
  const jar = await cookies();
  jar.set(sessionCookieName(env.publicUrl), '', sessionCookieOptions(env.publicUrl, 0));
}
