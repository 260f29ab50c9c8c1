import 'server-only';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import type { AccessLevel } from '@/lib/access-levels';
import { getMemberAccess } from '@/server/cognito/auth';
import { isIdentityError } from '@/server/cognito/errors';
import { getEnv } from '@/server/env';
import { cachedMemberAccess } from './member-cache';
import { checkOrigin } from './origin';
import { readSessionCookie } from './session';
import { getSessionStore } from './session-records';
import { liveSessionRecord } from './sessions';

// The data access layer: every page and every server action asks here, on every request, whether the
// caller's session is live (its record exists, unrevoked) and belongs to a member (exists in Cognito,
// enabled, same `sub`, in an access group), and which level they hold now. Proxy/middleware may
// redirect for comfort; this is the check.

export interface Session {
  /** This session's record id (from the sealed cookie): what sign-out ends. */
  sessionId: string;
  sub: string;
  username: string;
  email: string;
  accessLevel: AccessLevel;
  /** When the session ends whatever happens (absolute lifetime), ms since the epoch. */
  expiresAt: number;
  /** For sign-out only. */
  refreshToken: string | undefined;
}

/** Why a sealed, unexpired cookie no longer opens a session. */
export type SessionEnd = 'signed-out' | 'access-changed';

type SessionCheck = { session: Session } | { ended: SessionEnd | null };

/** The cookie's session, checked against its record and against Cognito (each answer ≤ 5 s old). */
const checkSession = cache(async (): Promise<SessionCheck> => {
  const cookie = await readSessionCookie();
  if (!cookie) return { ended: null };
  const [record, member] = await Promise.all([
    liveSessionRecord(getSessionStore(), cookie.sessionId, cookie.sub),
    cachedMemberAccess(cookie.username, (username) => getMemberAccess(username)).catch((error: unknown) => {
      // The pool itself is gone (Studio was disabled): nobody is a member of it any more.
      if (isIdentityError(error, 'not_found')) return null;
      throw error;
    }),
  ]);
  // A member deleted and invited again under the same name has a new sub: the old session is not theirs.
  if (!member?.enabled || member.sub !== cookie.sub || member.accessLevel === null) {
    return { ended: 'access-changed' };
  }
  if (!record) return { ended: 'signed-out' };
  return {
    session: {
      sessionId: cookie.sessionId,
      sub: cookie.sub,
      username: cookie.username,
      email: member.email || cookie.email,
      accessLevel: member.accessLevel,
      expiresAt: cookie.expiresAt,
      refreshToken: cookie.refreshToken,
    },
  };
});

/** The signed-in member, re-checked against the session record and Cognito, or null. Memoized per request. */
export const getSession = cache(async (): Promise<Session | null> => {
  const check = await checkSession();
  return 'session' in check ? check.session : null;
});

/**
 * For /login: why the browser's session ended (signed out elsewhere, or access removed or changed),
 * or null when it holds none or its session is live.
 */
export async function getSessionEnd(): Promise<SessionEnd | null> {
  const check = await checkSession();
  return 'ended' in check ? check.ended : null;
}

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
