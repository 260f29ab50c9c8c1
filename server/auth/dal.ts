import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import type { AccessLevel } from '@/lib/access-levels';
import { getMemberAccess } from '@/server/cognito/auth';
import { getEnv } from '@/server/env';
import { cachedMemberAccess } from './member-cache';
import { checkOrigin } from './origin';
import { readSessionCookie } from './session';

// The data access layer: every page and every server action asks here, on every request, whether the
// caller is a member (exists in Cognito, enabled, same `sub`, in an access group) and which level they
// hold now. Proxy/middleware may redirect for comfort; this is the check.

export interface Session {
  sub: string;
  username: string;
  email: string;
  accessLevel: AccessLevel;
  /** When the session ends whatever happens (absolute lifetime), ms since the epoch. */
  expiresAt: number;
  /** For sign-out only. */
  refreshToken: string | undefined;
}

/** The signed-in member, re-checked against Cognito (≤ 5 s old), or null. Memoized per request. */
export const getSession = cache(async (): Promise<Session | null> => {
  const cookie = await readSessionCookie();
  if (!cookie) return null;
  const member = await cachedMemberAccess(cookie.username, (username) => getMemberAccess(username));
  // A member deleted and invited again under the same name has a new sub: the old session is not theirs.
  if (!member?.enabled || member.sub !== cookie.sub || member.accessLevel === null) return null;
  return {
    sub: cookie.sub,
    username: cookie.username,
    email: member.email || cookie.email,
    accessLevel: member.accessLevel,
    expiresAt: cookie.expiresAt,
    refreshToken: cookie.refreshToken,
  };
});

/** The signed-in member; anyone else is sent to /login. */
export async function requireMember(): Promise<Session> {
  const session = await getSession();
  if (!session) redirect('/login');
  return session;
}

/** A member holding Full access now; a member without it gets 403, anyone else /login. */
export async function requireFullAccess(): Promise<Session> {
  const session = await requireMember();
  if (session.accessLevel !== 'full') forbidden();
  return session;
}

/** For server actions: 403 unless the request's Origin is PUBLIC_URL's. */
export async function verifySameOrigin(): Promise<void> {
  const verdict = checkOrigin((await headers()).get('origin'), getEnv().publicUrl);
  if (!verdict.allowed) {
    console.warn(`server action refused: ${verdict.reason}`);
    forbidden();
  }
}
