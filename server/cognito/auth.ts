import 'server-only';
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type AuthFlowType,
  type ChallengeNameType,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { type AccessLevel, accessLevelOfGroup, strongestLevel } from '@/lib/access-levels';
import { type CognitoContext, getCognitoClient, getPoolInfo } from './client';
import { cognitoCall, IdentityError } from './errors';
import { signOutEverywhere } from './member-admin';
import { defaultRetryPolicy, type RetryPolicy, withThrottleRetry } from './throttle';

// The Cognito calls of sign-in: AdminInitiateAuth / AdminRespondToAuthChallenge with the console's app
// client, reading who signed in from the ID token, revoking a session's tokens, and the member re-check
// the data access layer runs on every request. The rules and the words are in server/sign-in.
// Every call here goes through the retry layer (./throttle.ts) with `ctx.retry`: throttled answers
// are tried again, anything else is not.

/** A client, the pool, a clock, the console's app client and the throttling retry policy. */
export interface AuthClientContext extends CognitoContext {
  clientId: string;
  retry: RetryPolicy;
}

export async function getAuthClientContext(): Promise<AuthClientContext> {
  const { poolId, clientId } = await getPoolInfo();
  return { client: getCognitoClient(), poolId, clientId, now: Date.now, retry: defaultRetryPolicy };
}

/** One Cognito call, tried again while Cognito answers that it is throttled. */
function retried<T>(ctx: Pick<AuthClientContext, 'retry'>, send: () => Promise<T>): Promise<T> {
  return withThrottleRetry(() => cognitoCall(send), ctx.retry);
}

/** Who just signed in, from Cognito's ID token, plus the refresh token to revoke at sign-out. */
export interface SignedInMember {
  sub: string;
  username: string;
  email: string;
  refreshToken: string | undefined;
}

/** AdminInitiateAuth with the console's app client. */
export function initiateAuth(ctx: AuthClientContext, flow: AuthFlowType, parameters: Record<string, string>) {
  return retried(ctx, () =>
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

/**
 * AdminRespondToAuthChallenge with the console's app client; ClientMetadata reaches the triggers. A
 * throttled answer leaves the Session unspent and the triggers uncalled, so the retry sends it again.
 */
export function respondToChallenge(
  ctx: AuthClientContext,
  challenge: ChallengeNameType,
  session: string | undefined,
  responses: Record<string, string>,
  clientMetadata?: Record<string, string>,
) {
  return retried(ctx, () =>
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

/** Cognito's UserStatus (CONFIRMED, FORCE_CHANGE_PASSWORD, ...) of one user. */
export async function getUserStatus(ctx: AuthClientContext, username: string): Promise<string | undefined> {
  const user = await retried(ctx, () =>
    ctx.client.send(new AdminGetUserCommand({ UserPoolId: ctx.poolId, Username: username })),
  );
  return user.UserStatus;
}

/**
 * Why Cognito refused a password sign-in, from its NotAuthorizedException message (Cognito uses the
 * one exception for all of these). 'locked_out' is Cognito's lockout after repeated wrong passwords:
 * it answers so without checking the password.
 */
export type PasswordRefusal = 'incorrect' | 'temporary_password_expired' | 'disabled' | 'locked_out';

export function passwordRefusalOf(error: unknown): PasswordRefusal | undefined {
  if (error instanceof IdentityError && error.code === 'member_not_found') return 'incorrect';
  if (!(error instanceof IdentityError) || error.code !== 'not_authorized') return undefined;
  if (/password attempts exceeded/i.test(error.message)) return 'locked_out';
  if (/temporary password has expired/i.test(error.message)) return 'temporary_password_expired';
  if (/disabled/i.test(error.message)) return 'disabled';
  return 'incorrect';
}

export function signedInMember(result: AuthenticationResultType): SignedInMember {
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
  context?: AuthClientContext,
): Promise<void> {
  const ctx = context ?? (await getAuthClientContext());
  if (session.refreshToken) {
    try {
      await retried(ctx, () =>
        ctx.client.send(new RevokeTokenCommand({ ClientId: ctx.clientId, Token: session.refreshToken })),
      );
      return;
    } catch (error) {
      if (!(error instanceof IdentityError) || error.code === 'unavailable') throw error;
    }
  }
  try {
    await withThrottleRetry(() => signOutEverywhere(ctx, session.username), ctx.retry);
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
  context?: Pick<AuthClientContext, 'client' | 'poolId' | 'retry'>,
): Promise<MemberAccess | null> {
  const ctx = context ?? (await getAuthClientContext());
  try {
    // Each call retried on its own: a throttled group listing does not send AdminGetUser again.
    const [user, groups] = await Promise.all([
      retried(ctx, () =>
        ctx.client.send(new AdminGetUserCommand({ UserPoolId: ctx.poolId, Username: username })),
      ),
      retried(ctx, () =>
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
