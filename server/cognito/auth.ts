import 'server-only';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type AuthFlowType,
  type ChallengeNameType,
  type CognitoIdentityProviderClient,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { type AccessLevel, accessLevelOfGroup, strongestLevel } from '@/lib/access-levels';
import type { ChallengeStore } from '@/server/challenges';
import { hashSecret, isSecretShaped } from '@/server/challenges/links';
import { getChallengeStore } from '@/server/challenges/store';
import { linkMetadata, REQUEST_PLACEHOLDER_ANSWER } from '@/server/triggers/protocol';
import { getCognitoClient, getPoolInfo } from './client';
import { cognitoCall, IdentityError, isIdentityError } from './errors';
import { randomPermanentPassword, setPermanentPassword, signOutEverywhere } from './member-admin';
import { findMemberByEmail } from './members';

// Sign-in through Cognito: magic links (CUSTOM_AUTH with the four triggers), invitation acceptance
// (ADMIN_USER_PASSWORD_AUTH + NEW_PASSWORD_REQUIRED), sign-out, and the member re-check the data
// access layer runs on every request. Cognito's errors leave here as SignInError.

export interface AuthContext {
  client: CognitoIdentityProviderClient;
  poolId: string;
  clientId: string;
  challenges: ChallengeStore;
  now: () => number;
}

export async function getAuthContext(): Promise<AuthContext> {
  const { poolId, clientId } = await getPoolInfo();
  return { client: getCognitoClient(), poolId, clientId, challenges: getChallengeStore(), now: Date.now };
}

export type SignInErrorCode =
  | 'link_invalid'
  | 'link_used'
  | 'link_expired'
  | 'link_replaced'
  | 'member_unavailable'
  | 'incorrect_credentials'
  | 'temporary_password_expired'
  | 'invalid_password';

const MESSAGES: Record<SignInErrorCode, string> = {
  link_invalid: 'This sign-in link is not valid. Check that you opened the whole link from the email.',
  link_used: 'This sign-in link has already been used. Each link works once.',
  link_expired: 'This sign-in link has expired. Links work for 15 minutes.',
  link_replaced: 'A newer sign-in link was sent after this one, so this one no longer works.',
  member_unavailable:
    'This account cannot sign in: it was removed or disabled. Ask a Full-access member of your team.',
  incorrect_credentials: 'The email or temporary password is incorrect.',
  temporary_password_expired:
    'Your temporary password has expired. Ask a Full-access member of your team to send you a new invitation.',
  invalid_password: 'The new password does not meet the password policy.',
};

export class SignInError extends Error {
  constructor(
    readonly code: SignInErrorCode,
    message = MESSAGES[code],
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/** Who just signed in, from Cognito's ID token, plus the refresh token to revoke at sign-out. */
export interface SignedInMember {
  sub: string;
  username: string;
  email: string;
  refreshToken: string | undefined;
}

/**
 * Asks Cognito to mail a sign-in link: a CUSTOM_AUTH session, then a "request a link" response that
 * makes the create-auth-challenge trigger mint and mail it. Silent when the email is not a member's,
 * the member is disabled, or a link went out in the last minute: callers answer the same either way.
 */
export async function requestSignInLink(email: string, context?: AuthContext): Promise<void> {
  const ctx = context ?? (await getAuthContext());
  const member = await findMemberByEmail(email, ctx);
  if (!member?.enabled) return;
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

/** What a link is, without spending it: the landing page shows "Sign in as <email>" or why it cannot. */
export async function describeSignInLink(
  secret: string,
  context?: Pick<AuthContext, 'challenges' | 'now'>,
): Promise<LinkDescription> {
  const challenges = context?.challenges ?? getChallengeStore();
  const now = context?.now ?? Date.now;
  if (!isSecretShaped(secret)) return { valid: false, error: new SignInError('link_invalid') };
  const state = await challenges.inspect(hashSecret(secret), now());
  if (state.state === 'valid') return { valid: true, email: state.email };
  // Whoever holds the secret was sent it: naming the address helps them ask for a new link.
  return {
    valid: false,
    error: linkError(state.state),
    ...(state.state === 'unknown' ? {} : { email: state.email }),
  };
}

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
export async function signInWithLink(secret: string, context?: AuthContext): Promise<SignedInMember> {
  const ctx = context ?? (await getAuthContext());
  if (!isSecretShaped(secret)) throw new SignInError('link_invalid');
  const hash = hashSecret(secret);
  const state = await ctx.challenges.inspect(hash, ctx.now());
  if (state.state !== 'valid') throw linkError(state.state);

  let session: string | undefined;
  try {
    session = (await initiateAuth(ctx, 'CUSTOM_AUTH', { USERNAME: state.username })).Session;
  } catch (error) {
    if (isMemberUnavailable(error)) throw new SignInError('member_unavailable');
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
    throw after.state === 'valid' ? new SignInError('member_unavailable') : linkError(after.state);
  }
  const member = signedInMember(result);
  await activateIfInvited(ctx, member.username);
  return member;
}

/**
 * A member still holding an invitation (the operator signing in by the CLI's link) has proved they
 * own the mailbox: finish the invitation with a random password, as "email sign-in links only" does.
 */
async function activateIfInvited(ctx: AuthContext, username: string): Promise<void> {
  const user = await cognitoCall(() =>
    ctx.client.send(new AdminGetUserCommand({ UserPoolId: ctx.poolId, Username: username })),
  );
  if (user.UserStatus !== 'FORCE_CHANGE_PASSWORD') return;
  await setPermanentPassword(ctx, username, randomPermanentPassword());
}

/** Throws SignInError unless the temporary password is this invitee's and still valid. */
export async function checkTemporaryPassword(
  email: string,
  temporaryPassword: string,
  context?: AuthContext,
): Promise<void> {
  const ctx = context ?? (await getAuthContext());
  await startInvitation(ctx, email, temporaryPassword);
}

/**
 * Accepts an invitation: the temporary password opens a NEW_PASSWORD_REQUIRED challenge, answered with
 * the invitee's new password, or — for "email sign-in links only" (`newPassword` undefined) — with a
 * random one nobody knows. Cognito then confirms the member and issues tokens.
 */
export async function acceptInvitation(
  input: { email: string; temporaryPassword: string; newPassword: string | undefined },
  context?: AuthContext,
): Promise<SignedInMember> {
  const ctx = context ?? (await getAuthContext());
  const { username, session } = await startInvitation(ctx, input.email, input.temporaryPassword);
  try {
    const answered = await respondToChallenge(ctx, 'NEW_PASSWORD_REQUIRED', session, {
      USERNAME: username,
      NEW_PASSWORD: input.newPassword ?? randomPermanentPassword(),
    });
    if (!answered.AuthenticationResult?.IdToken) throw new SignInError('incorrect_credentials');
    return signedInMember(answered.AuthenticationResult);
  } catch (error) {
    if (error instanceof IdentityError && error.code === 'invalid_password') {
      throw new SignInError('invalid_password', policyMessage(error.message));
    }
    throw error;
  }
}

async function startInvitation(
  ctx: AuthContext,
  email: string,
  temporaryPassword: string,
): Promise<{ username: string; session: string }> {
  const member = await findMemberByEmail(email, ctx);
  if (!member) throw new SignInError('incorrect_credentials');
  try {
    const start = await initiateAuth(ctx, 'ADMIN_USER_PASSWORD_AUTH', {
      USERNAME: member.username,
      PASSWORD: temporaryPassword,
    });
    // Tokens instead of a challenge cannot come from a temporary password: the invitation is done.
    if (start.ChallengeName !== 'NEW_PASSWORD_REQUIRED' || !start.Session) {
      throw new SignInError('incorrect_credentials');
    }
    return { username: member.username, session: start.Session };
  } catch (error) {
    if (error instanceof IdentityError && error.code === 'not_authorized') {
      if (/temporary password has expired/i.test(error.message))
        throw new SignInError('temporary_password_expired');
      if (/disabled/i.test(error.message)) throw new SignInError('member_unavailable');
      throw new SignInError('incorrect_credentials');
    }
    if (error instanceof IdentityError && error.code === 'member_not_found') {
      throw new SignInError('incorrect_credentials');
    }
    throw error;
  }
}

/** AdminInitiateAuth with the console's app client. */
function initiateAuth(ctx: AuthContext, flow: AuthFlowType, parameters: Record<string, string>) {
  return cognitoCall(() =>
    ctx.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: ctx.poolId,
        ClientId: ctx.clientId,
        AuthFlow: flow,
        AuthParameters: parameters,
      }),
    ),
  );
}

/** AdminRespondToAuthChallenge with the console's app client; ClientMetadata reaches the triggers. */
function respondToChallenge(
  ctx: AuthContext,
  challenge: ChallengeNameType,
  session: string | undefined,
  responses: Record<string, string>,
  clientMetadata?: Record<string, string>,
) {
  return cognitoCall(() =>
    ctx.client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: ctx.poolId,
        ClientId: ctx.clientId,
        ChallengeName: challenge,
        Session: session,
        ChallengeResponses: responses,
        ClientMetadata: clientMetadata,
      }),
    ),
  );
}

/** "Password did not conform with policy: Password must have uppercase characters" → the reason. */
function policyMessage(message: string): string {
  const reason = /conform (?:to|with) policy:\s*(.+)$/i.exec(message)?.[1];
  return reason
    ? `The new password does not meet the password policy: ${reason.replace(/\.$/, '')}.`
    : MESSAGES.invalid_password;
}

function signedInMember(result: AuthenticationResultType): SignedInMember {
  // Straight from Cognito over our own connection: decoding is enough, there is no one to distrust.
  const claims = decodeJwt(result.IdToken ?? '');
  const sub = claims.sub;
  const username = claims['cognito:username'];
  const email = claims.email;
  if (typeof sub !== 'string' || typeof username !== 'string' || typeof email !== 'string') {
    throw new IdentityError('unknown', 'The ID token lacks sub, cognito:username or email');
  }
  return { sub, username, email, refreshToken: result.RefreshToken };
}

/**
 * Ends this session's tokens: RevokeToken on its refresh token (the tokens minted from it stop
 * working), or — without one, or when the client does not allow revocation — a global sign-out.
 */
export async function revokeSession(
  session: { username: string; refreshToken?: string },
  context?: AuthContext,
): Promise<void> {
  const ctx = context ?? (await getAuthContext());
  if (session.refreshToken) {
    try {
      await cognitoCall(() =>
        ctx.client.send(new RevokeTokenCommand({ ClientId: ctx.clientId, Token: session.refreshToken })),
      );
      return;
    } catch (error) {
      if (!(error instanceof IdentityError) || error.code === 'unavailable') throw error;
    }
  }
  try {
    await signOutEverywhere(ctx, session.username);
  } catch (error) {
    // A deleted member has no tokens left to revoke.
    if (!(error instanceof IdentityError) || error.code !== 'member_not_found') throw error;
  }
}

/** What the data access layer re-checks on every request. */
export interface MemberAccess {
  username: string;
  sub: string;
  email: string;
  enabled: boolean;
  accessLevel: AccessLevel | null;
}

/** The member as Cognito has them now, or null when they no longer exist. */
export async function getMemberAccess(
  username: string,
  context?: Pick<AuthContext, 'client' | 'poolId'>,
): Promise<MemberAccess | null> {
  const ctx = context ?? (await getAuthContext());
  try {
    const [user, groups] = await Promise.all([
      cognitoCall(() =>
        ctx.client.send(new AdminGetUserCommand({ UserPoolId: ctx.poolId, Username: username })),
      ),
      cognitoCall(() =>
        ctx.client.send(
          new AdminListGroupsForUserCommand({ UserPoolId: ctx.poolId, Username: username, Limit: 60 }),
        ),
      ),
    ]);
    const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
    const held = (groups.Groups ?? []).flatMap((group) => accessLevelOfGroup(group.GroupName ?? '') ?? []);
    return {
      username: user.Username ?? username,
      sub: attribute('sub') ?? '',
      email: attribute('email') ?? '',
      enabled: user.Enabled !== false,
      accessLevel: strongestLevel(held),
    };
  } catch (error) {
    if (error instanceof IdentityError && error.code === 'member_not_found') return null;
    throw error;
  }
}
