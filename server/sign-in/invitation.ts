import 'server-only';
import { randomUUID } from 'node:crypto';
import {
  initiateAuth,
  passwordRefusalOf,
  respondToChallenge,
  type SignedInMember,
  signedInMember,
} from '@/server/cognito/auth';
import { randomPermanentPassword } from '@/server/cognito/member-admin';
import { findMemberRecordByEmail } from '@/server/cognito/members';
import { withThrottleRetry } from '@/server/cognito/throttle';
import { clientKey } from './client-address';
import { getSignInContext, type SignInContext } from './context';
import { SignInError } from './errors';

// Accepting an invitation: the invitee proves the temporary password from the email, the server
// answers Cognito's NEW_PASSWORD_REQUIRED with a random password nobody knows, and the member is
// signed in; from then on they sign in with email links. There is no password to choose.
//
// Every answer costs the same: one ListUsers look-up and one password check by Cognito. An invitee's temporary
// password is checked for them; for anyone else (a stranger, or a member who already joined) Cognito
// checks the password for a username that cannot exist, which it refuses after the same work.

const HOW = 'Invitation';

const REASONS = {
  incorrect: 'Wrong temporary password.',
  temporary_password_expired: 'The temporary password had expired.',
  locked_out: 'Locked out by the identity service after repeated wrong temporary passwords.',
  disabled: 'The member is disabled.',
} as const;

export interface InvitationAnswer {
  email: string;
  temporaryPassword: string;
  /** The asking client's remote address (per-client limit). */
  client: string | null;
}

export async function acceptInvitation(
  input: InvitationAnswer,
  context?: SignInContext,
): Promise<SignedInMember> {
  const ctx = context ?? (await getSignInContext());
  // Decided before any look-up: the same for members and strangers, and nothing is spent.
  const byClient = ctx.limits.invitationsPerClient.take(clientKey(input.client));
  if (!byClient.allowed) throw new SignInError('too_many_attempts');
  const byAddress = ctx.limits.invitationsPerAddress.take(input.email.trim().toLowerCase());
  if (!byAddress.allowed) throw new SignInError('too_many_attempts');

  // One ListUsers call whoever it is (no group look-up: the level does not matter here).
  const member = await withThrottleRetry(() => findMemberRecordByEmail(ctx, input.email.trim()), ctx.retry);
  // Only a pending or expired invitation is checked for real. A member who joined has nothing to
  // accept, and a disabled one cannot join: both get a stranger's answer, after a stranger's work
  // (their own password would be a slow scrypt check: the timing would tell them apart).
  const invitee = member && (member.status === 'pending' || member.status === 'expired') ? member : null;
  let start: Awaited<ReturnType<typeof initiateAuth>>;
  try {
    start = await initiateAuth(ctx, 'ADMIN_USER_PASSWORD_AUTH', {
      USERNAME: invitee?.username ?? `no-such-member-${randomUUID()}`,
      PASSWORD: input.temporaryPassword,
    });
  } catch (error) {
    const refusal = passwordRefusalOf(error);
    if (!refusal) throw error;
    if (invitee) ctx.failures.record({ email: invitee.email, how: HOW, reason: REASONS[refusal] });
    if (!invitee || refusal === 'incorrect') throw new SignInError('incorrect_credentials');
    // Disabled since the look-up a moment ago.
    if (refusal === 'disabled') throw new SignInError('member_unavailable');
    throw new SignInError(refusal);
  }
  // Tokens instead of a challenge cannot come from a temporary password: the invitation is done.
  if (!invitee || start.ChallengeName !== 'NEW_PASSWORD_REQUIRED' || !start.Session) {
    throw new SignInError('incorrect_credentials');
  }
  const answered = await respondToChallenge(ctx, 'NEW_PASSWORD_REQUIRED', start.Session, {
    USERNAME: invitee.username,
    NEW_PASSWORD: randomPermanentPassword(),
  });
  if (!answered.AuthenticationResult?.IdToken) throw new SignInError('incorrect_credentials');
  return signedInMember(answered.AuthenticationResult);
}
