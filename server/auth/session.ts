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

/** The session the cookie carries (decrypted, unexpired), before any check against Cognito. */
export async function readSessionCookie(): Promise<SessionData | null> {
  const env = getEnv();
  const jar = await cookies();
  return unsealSession(jar.get(sessionCookieName(env.publicUrl))?.value, env.sessionSecret, Date.now());
}

/** Starts a session of SESSION_TTL for the member; only in a server action or route handler. */
export async function startSession(member: {
  sub: string;
  username: string;
  email: string;
  refreshToken?: string;
}): Promise<void> {
  const env = getEnv();
  const issuedAt = Date.now();
  const expiresAt = issuedAt + env.sessionTtlMs;
  const value = await sealSession({ ...member, issuedAt, expiresAt }, env.sessionSecret);
  const jar = await cookies();
  jar.set(
    sessionCookieName(env.publicUrl),
    value,
    sessionCookieOptions(env.publicUrl, Math.floor(env.sessionTtlMs / 1000)),
  );
}

export async function clearSessionCookie(): Promise<void> {
  const env = getEnv();
  const jar = await cookies();
  jar.set(sessionCookieName(env.publicUrl), '', sessionCookieOptions(env.publicUrl, 0));
}
