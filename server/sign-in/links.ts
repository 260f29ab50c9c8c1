import 'server-only';
import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import { hashSecret, isSecretShaped } from '@/server/challenges/links';
import {
  getUserStatus,
  initiateAuth,
  respondToChallenge,
  type SignedInMember,
  signedInMember,
} from '@/server/cognito/auth';
import { IdentityError, isIdentityError } from '@/server/cognito/errors';
import { randomPermanentPassword, setPermanentPassword } from '@/server/cognito/member-admin';
import { findMemberRecordByEmail } from '@/server/cognito/members';
import { withThrottleRetry } from '@/server/cognito/throttle';
import { linkMetadata, REQUEST_PLACEHOLDER_ANSWER } from '@/server/triggers/protocol';
import { clientKey } from './client-address';
import { getSignInContext, type SignInContext } from './context';
import { SignInError } from './errors';

// Sign-in by email link: asking for one (CUSTOM_AUTH, answered with "request a link", which makes the
// create-auth-challenge trigger mint and mail it), describing one before it is spent, and spending it.

const HOW = 'Sign-in link';

export type LinkRequest =
  /** Answer "check your inbox" now; `send` does the Cognito work after the response. */
  | { accepted: true; send: () => Promise<void> }
  /** This client asked too often: say so (it says nothing about the address). */
  | { accepted: false; retryAfterMs: number };

/**
 * "Email me a sign-in link" from `client` (its remote address). Past the per-client limit nothing is
 * done. Otherwise the answer is the same for members and strangers, and `send` may send nothing: see
 * requestSignInLink.
 */
export function startLinkRequest(
  input: { email: string; client: string | null },
  ctx: Pick<SignInContext, 'limits'>,
  send: (email: string) => Promise<void> = (email) => requestSignInLink(email),
): LinkRequest {
  const verdict = ctx.limits.linkRequestsPerClient.take(clientKey(input.client));
  if (!verdict.allowed) return { accepted: false, retryAfterMs: verdict.retryAfterMs };
  return { accepted: true, send: () => send(input.email) };
}

/**
 * Asks Cognito to mail a sign-in link: a CUSTOM_AUTH session, then a "request a link" response that
 * makes the create-auth-challenge trigger mint and mail it. Silent when the email is not a member's,
 * the member is disabled, a link went out in the last minute or five in the last hour: callers answer
 * the same either way.
 */
export async function requestSignInLink(email: string, context?: SignInContext): Promise<void> {
  const ctx = context ?? (await getSignInContext());
  const address = email.trim();
  if (!address) return;
  // The record is enough (enabled, username): the level does not decide who gets a link.
  const member = await withThrottleRetry(() => findMemberRecordByEmail(ctx, address), ctx.retry);
  if (!member?.enabled || !member.username) return;
  try {
    const start = await initiateAuth(ctx, 'CUSTOM_AUTH', { USERNAME: member.username });
    if (start.ChallengeName !== 'CUSTOM_CHALLENGE' || !start.Session) return;
    // The link action tells the triggers what the answer is: here a placeholder asking for a link.
    await respondToChallenge(
      ctx,
      'CUSTOM_CHALLENGE',
      start.Session,
      { USERNAME: member.username, ANSWER: REQUEST_PLACEHOLDER_ANSWER },
      linkMetadata('REQUEST'),
    );
  } catch (error) {
    // Disabled or deleted between the look-up and the call: nothing to send, nothing to say.
    if (isMemberUnavailable(error)) return;
    throw error;
  }
}

export type LinkDescription =
  | { valid: true; email: string }
  | { valid: false; error: SignInError; email?: string };

/**
 * What a link is, without spending it: the landing page shows "Sign in as <email>" or why it cannot.
 * A used, expired or replaced link names its member, so the refusal goes to the activity log.
 */
export async function describeSignInLink(
  secret: string,
  context?: Pick<SignInContext, 'challenges' | 'now' | 'failures'>,
): Promise<LinkDescription> {
  const ctx = context ?? (await getSignInContext());
  if (!isSecretShaped(secret)) return { valid: false, error: new SignInError('link_invalid') };
  const state = await ctx.challenges.inspect(hashSecret(secret), ctx.now());
  if (state.state === 'valid') return { valid: true, email: state.email };
  // An unknown secret names nobody: there is no member to log it for.
  if (state.state === 'unknown') return { valid: false, error: linkError('unknown') };
  ctx.failures.record({ email: state.email, how: HOW, reason: LINK_REASONS[state.state] });
  // Whoever holds the secret was sent it: naming the address helps them ask for a new link.
  return { valid: false, error: linkError(state.state), email: state.email };
}

const LINK_REASONS = {
  used: 'The link had already been used.',
  expired: 'The link had expired.',
  replaced: 'A newer link had been sent, which replaced this one.',
} as const;

function linkError(state: 'used' | 'expired' | 'replaced' | 'unknown'): SignInError {
  const code = (
    {
      used: 'link_used',
      expired: 'link_expired',
      replaced: 'link_replaced',
      unknown: 'link_invalid',
    } as const
  )[state];
  return new SignInError(code);
}

/** How Cognito refuses a member who was disabled (NotAuthorized) or deleted (UserNotFound). */
function isMemberUnavailable(error: unknown): boolean {
  return isIdentityError(error, 'not_authorized') || isIdentityError(error, 'member_not_found');
}

/**
 * Signs in with a link's secret: a CUSTOM_AUTH session for the link's member, answered with the
 * secret; the verify trigger spends it. Throws SignInError saying why when Cognito refuses.
 */
export async function signInWithLink(secret: string, context?: SignInContext): Promise<SignedInMember> {
  const ctx = context ?? (await getSignInContext());
  if (!isSecretShaped(secret)) throw new SignInError('link_invalid');
  const hash = hashSecret(secret);
  const state = await ctx.challenges.inspect(hash, ctx.now());
  if (state.state === 'unknown') throw linkError('unknown');
  const refuse = (error: SignInError, reason: string) => {
    ctx.failures.record({ email: state.email, how: HOW, reason });
    return error;
  };
  if (state.state !== 'valid') throw refuse(linkError(state.state), LINK_REASONS[state.state]);

  let session: string | undefined;
  try {
    session = (await initiateAuth(ctx, 'CUSTOM_AUTH', { USERNAME: state.username })).Session;
  } catch (error) {
    if (isMemberUnavailable(error)) throw refuse(new SignInError('member_unavailable'), UNAVAILABLE);
    throw error;
  }

  let result: AuthenticationResultType | undefined;
  try {
    const answered = await respondToChallenge(
      ctx,
      'CUSTOM_CHALLENGE',
      session,
      { USERNAME: state.username, ANSWER: secret },
      linkMetadata('ANSWER'),
    );
    result = answered.AuthenticationResult;
  } catch (error) {
    if (!(error instanceof IdentityError) || error.code !== 'not_authorized') throw error;
  }
  if (!result?.IdToken) {
    // Refused: most often another tab or a mail scanner's click spent the link a moment earlier.
    const after = await ctx.challenges.inspect(hash, ctx.now());
    if (after.state === 'valid') throw refuse(new SignInError('member_unavailable'), UNAVAILABLE);
    if (after.state === 'unknown') throw linkError('unknown');
    throw refuse(linkError(after.state), LINK_REASONS[after.state]);
  }
  const member = signedInMember(result);
  await activateIfInvited(ctx, member.username);
  return member;
}

const UNAVAILABLE = 'The member is disabled or was removed.';

/**
 * A member still holding an invitation (the operator signing in by the CLI's link) has proved they
 * own the mailbox: finish the invitation with a random password, as accepting it does.
 */
async function activateIfInvited(ctx: SignInContext, username: string): Promise<void> {
  if ((await getUserStatus(ctx, username)) !== 'FORCE_CHANGE_PASSWORD') return;
  const password = randomPermanentPassword();
  await withThrottleRetry(() => setPermanentPassword(ctx, username, password), ctx.retry);
}
