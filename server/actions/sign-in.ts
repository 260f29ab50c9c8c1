'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { after } from 'next/server';
import { z } from 'zod';
import type { ActionState } from '@/lib/action-state';
import {
  acceptInvitationSchema,
  CHECK_INBOX_MESSAGE,
  type InvitationState,
  type LinkDescription,
  type LinkProblem,
  type LinkSignInState,
  linkAnswerSchema,
  linkSecretSchema,
  requestLinkSchema,
} from '@/lib/sign-in';
import { getSession, verifySameOrigin } from '@/server/auth/dal';
import { dropMemberAccessCache } from '@/server/auth/member-cache';
import { clearSessionCookie, endSession, readSessionCookie, startSession } from '@/server/auth/session';
import { revokeSession, type SignedInMember } from '@/server/cognito/auth';
import { recordActivity } from '@/server/members';
import {
  acceptInvitation,
  CLIENT_ADDRESS_HEADER,
  describeSignInLink,
  getSignInLimits,
  SignInError,
  type SignInErrorCode,
  signInWithLink,
  startLinkRequest,
} from '@/server/sign-in';

// Thin: check the origin (and, where there is one, the session), parse, call server/sign-in,
// answer with one state shape. These run before anyone is signed in, so the origin check is the
// authorization; the session they start is checked by the data access layer on every later request.

const LINK_PROBLEMS: Partial<Record<SignInErrorCode, LinkProblem>> = {
  link_invalid: 'invalid',
  link_used: 'used',
  link_expired: 'expired',
  link_replaced: 'replaced',
  member_unavailable: 'unavailable',
};

/**
 * "Send me a link". The answer is the same for members and strangers, and so is its timing: the
 * Cognito round trips and the mail happen after the response is sent. A client that asked too often
 * is told so, whatever the address.
 */
export async function requestSignInLinkAction(
  _previous: ActionState,
  formData: FormData,
): Promise<ActionState> {
  await verifySameOrigin();
  const parsed = requestLinkSchema.safeParse({ email: formData.get('email') });
  if (!parsed.success) {
    return {
      status: 'error',
      message: 'Check the email address.',
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
    };
  }
  const { email } = parsed.data;
  const request = startLinkRequest({ email, client: await clientAddress() }, { limits: getSignInLimits() });
  if (!request.accepted) {
    return {
      status: 'error',
      message: `Too many sign-in requests from this network. Try again in ${minutes(request.retryAfterMs)}.`,
    };
  }
  after(async () => {
    try {
      await request.send();
    } catch (error) {
      console.error(
        `sign-in link for ${email} not sent: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  });
  return { status: 'success', message: CHECK_INBOX_MESSAGE };
}

/** The client's address, as the console's HTTP server stamped it (server/sign-in/client-address). */
async function clientAddress(): Promise<string | null> {
  return (await headers()).get(CLIENT_ADDRESS_HEADER);
}

function minutes(ms: number): string {
  const count = Math.max(1, Math.ceil(ms / 60_000));
  return count === 1 ? '1 minute' : `${count} minutes`;
}

/** What the landing page shows before the click: "Sign in as <email>", or why the link cannot work. Spends nothing. */
export async function describeSignInLinkAction(secret: string): Promise<LinkDescription> {
  await verifySameOrigin();
  const parsed = linkSecretSchema.safeParse(secret);
  if (!parsed.success) return problem(new SignInError('link_invalid'));
  const described = await describeSignInLink(parsed.data);
  return described.valid
    ? { status: 'valid', email: described.email }
    : problem(described.error, described.email);
}

function problem(error: SignInError, email?: string): LinkDescription {
  return {
    status: 'problem',
    problem: LINK_PROBLEMS[error.code] ?? 'invalid',
    message: error.message,
    ...(email ? { email } : {}),
  };
}

/** The click on "Sign in": spends the link and starts the session. */
export async function signInWithLinkAction(
  _previous: LinkSignInState,
  formData: FormData,
): Promise<LinkSignInState> {
  await verifySameOrigin();
  const parsed = linkAnswerSchema.safeParse({ secret: formData.get('secret') });
  if (!parsed.success)
    return { status: 'error', problem: 'invalid', message: new SignInError('link_invalid').message };
  try {
    await startRecordedSession(await signInWithLink(parsed.data.secret), 'Sign-in link');
  } catch (error) {
    if (error instanceof SignInError) {
      return { status: 'error', problem: LINK_PROBLEMS[error.code] ?? 'invalid', message: error.message };
    }
    console.error(`sign-in by link failed: ${error instanceof Error ? error.message : String(error)}`);
    return {
      status: 'error',
      message: 'Signing in failed because the identity service did not answer. Try again.',
    };
  }
  dropMemberAccessCache();
  redirect('/');
}

/** Accepting an invitation: the temporary password proves it; then the member is signed in. */
export async function acceptInvitationAction(
  _previous: InvitationState,
  formData: FormData,
): Promise<InvitationState> {
  await verifySameOrigin();
  const parsed = acceptInvitationSchema.safeParse({
    email: formData.get('email'),
    temporaryPassword: formData.get('temporaryPassword'),
  });
  if (!parsed.success) {
    return {
      status: 'error',
      message: 'Check the highlighted fields.',
      fieldErrors: z.flattenError(parsed.error).fieldErrors,
    };
  }
  try {
    const member = await acceptInvitation({ ...parsed.data, client: await clientAddress() });
    await startRecordedSession(member, 'Accepted invitation');
  } catch (error) {
    return invitationFailure(error);
  }
  dropMemberAccessCache();
  redirect('/');
}

/** Starts the signed-in member's session and records the sign-in in the activity log. */
async function startRecordedSession(member: SignedInMember, how: string): Promise<void> {
  await startSession(member);
  await recordActivity({
    actorEmail: member.email,
    action: 'sign-in',
    targetEmail: null,
    detail: how,
    outcome: 'success',
    message: null,
  });
}

function invitationFailure(error: unknown): InvitationState {
  if (error instanceof SignInError) {
    if (error.code === 'temporary_password_expired')
      return { status: 'error', expired: true, message: error.message };
    if (error.code === 'incorrect_credentials') {
      return {
        status: 'error',
        message: error.message,
        fieldErrors: { temporaryPassword: ['The email or temporary password is incorrect.'] },
      };
    }
    return { status: 'error', message: error.message };
  }
  console.error(`invitation failed: ${error instanceof Error ? error.message : String(error)}`);
  return { status: 'error', message: 'The identity service did not answer. Try again in a moment.' };
}

/** "Sign out": ends this session's record (every copy of the cookie), revokes its Cognito tokens, clears the cookie. */
export async function signOutAction(): Promise<void> {
  await verifySameOrigin();
  // The member may already be gone (getSession() is null then); their tokens still get revoked.
  const session = (await getSession()) ?? (await readSessionCookie());
  if (session) {
    const failures: string[] = [];
    const failed = (what: string, error: unknown) => {
      failures.push(`${what} (${error instanceof Error ? error.message : String(error)})`);
      console.error(`sign-out: ${failures.at(-1)}`);
    };
    try {
      await endSession(session.sessionId);
    } catch (error) {
      failed('the session was not ended on the server', error);
    }
    try {
      await revokeSession({ username: session.username, refreshToken: session.refreshToken });
    } catch (error) {
      failed("the session's tokens were not revoked", error);
    }
    await recordActivity({
      actorEmail: session.email,
      action: 'sign-out',
      targetEmail: null,
      detail: null,
      outcome: failures.length ? 'failure' : 'success',
      message: failures.length ? `Signed out here, but ${failures.join(' and ')}.` : null,
    });
  }
  await clearSessionCookie();
  redirect('/login');
}
