'use server';

import { redirect } from 'next/navigation';
import type { ActionState } from '@/lib/action-state';
import { requireMember, verifySameOrigin } from '@/server/auth/dal';
import { clearSessionCookie, endMemberSessions } from '@/server/auth/session';
import { revokeSession } from '@/server/cognito/auth';
import { recordActivity } from '@/server/members';

// The signed-in member's own sessions. Thin: origin → session → the session rules → activity log.

/**
 * "Sign out of all sessions": ends every session of the signed-in member on the server (this
 * browser's too, and any copy of a cookie), revokes all their Cognito refresh tokens (a global
 * sign-out), and lands on /login. When the sessions could not be ended, it says so and stays.
 */
export async function signOutEverywhereAction(_previous: ActionState): Promise<ActionState> {
  await verifySameOrigin();
  const session = await requireMember();
  const log = (outcome: 'success' | 'failure', detail: string | null, message: string | null) =>
    recordActivity({
      actorEmail: session.email,
      action: 'sign-out-all',
      targetEmail: null,
      detail,
      outcome,
      message,
    });
  let ended: number;
  try {
    ended = await endMemberSessions(session.username);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    console.error(`sign out of all sessions: sessions not ended: ${why}`);
    await log('failure', null, `The sessions were not ended: ${why}`);
    return { status: 'error', message: 'Your sessions could not be ended. Nothing was changed; try again.' };
  }
  const detail = `${ended} ${ended === 1 ? 'session' : 'sessions'} ended`;
  try {
    await revokeSession({ username: session.username });
    await log('success', detail, null);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    console.error(`sign out of all sessions: tokens not revoked: ${why}`);
    await log('failure', detail, `Every session was ended, but the Cognito tokens were not revoked: ${why}`);
  }
  await clearSessionCookie();
  redirect('/login');
}
