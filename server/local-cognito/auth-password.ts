// USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH sign-in, and the NEW_PASSWORD_REQUIRED challenge that
// a user signing in with a temporary password must answer.
import { incorrectCredentials, requiredSignedParameters, unknownUser } from './auth-client';
import { consumeSession, createSession, peekSession } from './auth-sessions';
import type { ServiceContext } from './context';
import { hashPassword, verifyPassword } from './crypto';
import { CognitoError, invalidSession, notAuthorized, userDisabled } from './errors';
import { claimPasswordAttempt, passwordAccepted } from './lockout';
import { checkPassword } from './passwords';
import { writeTransaction } from './sql';
import { type ClientRecord, findUser, type PoolRecord, type UserRecord } from './store';
import { type AuthenticationResult, issueTokens } from './tokens';

export type AuthResponse =
  | { ChallengeParameters: Record<string, string>; AuthenticationResult: AuthenticationResult }
  | { ChallengeName: string; Session: string; ChallengeParameters: Record<string, string> };

export const tokensResponse = (result: AuthenticationResult): AuthResponse => ({
  ChallengeParameters: {},
  AuthenticationResult: result,
});

/** Password sign-in: tokens, or NEW_PASSWORD_REQUIRED for a user holding a temporary password. */
export async function passwordAuth(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string> | undefined,
): Promise<AuthResponse> {
  const { USERNAME: username, PASSWORD: password } = requiredSignedParameters(client, params, ['PASSWORD']);
  const found = findUser(ctx, pool, username);
  if (!found) throw unknownUser(client);
  claimPasswordAttempt(ctx, found);
  if (!found.passwordHash || !(await verifyPassword(password, found.passwordHash, ctx.pepper)))
    throw incorrectCredentials();
  // Read again after the check: a password an administrator replaced meanwhile no longer counts.
  const user = findUser(ctx, pool, username);
  if (!user || user.sub !== found.sub || user.passwordHash !== found.passwordHash)
    throw incorrectCredentials();
  passwordAccepted(ctx, user);
  if (!user.enabled) throw userDisabled();
  switch (user.status) {
    case 'FORCE_CHANGE_PASSWORD': {
      if (user.tempPasswordExpiresAt !== null && ctx.now() > user.tempPasswordExpiresAt) {
        throw notAuthorized('Temporary password has expired and must be reset by an administrator.');
      }
      const session = createSession(ctx, pool, client, user.usernameKey, {
        challengeName: 'NEW_PASSWORD_REQUIRED',
        username: user.username,
        sub: user.sub,
        userNotFound: false,
        history: [],
        privateChallengeParameters: {},
        challengeMetadata: null,
      });
      const { sub: _sub, ...attributes } = user.attributes;
      return {
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeParameters: {
          USER_ID_FOR_SRP: user.username,
          requiredAttributes: '[]',
          userAttributes: JSON.stringify(attributes),
        },
      };
    }
    case 'UNCONFIRMED':
      throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
    case 'RESET_REQUIRED':
      throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
    default:
      return tokensResponse(await issueTokens(ctx, pool, client, user));
  }
}

/**
 * NEW_PASSWORD_REQUIRED answered: the new password must meet the pool's policy (a refusal leaves the
 * session usable, as Cognito does); then the session is spent, the password stored, the user CONFIRMED
 * and signed in. `userAttributes.<name>` responses set attributes, as Cognito allows.
 */
export async function respondNewPassword(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  responses: Record<string, string> | undefined,
  session: unknown,
): Promise<AuthResponse> {
  const { USERNAME: username, NEW_PASSWORD: newPassword } = requiredSignedParameters(client, responses, [
    'NEW_PASSWORD',
  ]);
  const state = peekSession(ctx, client, session);
  const user = sessionUser(ctx, pool, username, state);
  if (state.challengeName !== 'NEW_PASSWORD_REQUIRED' || user.status !== 'FORCE_CHANGE_PASSWORD') {
    throw invalidSession();
  }
  if (!user.enabled) throw userDisabled();
  checkPassword(pool, newPassword);
  const attributes = { ...user.attributes };
  for (const [key, value] of Object.entries(responses ?? {})) {
    const name = key.startsWith('userAttributes.') ? key.slice('userAttributes.'.length) : '';
    if (name && name !== 'sub') attributes[name] = value;
  }
  // Hashed before anything is written: the session is spent, the user re-read and updated in one
  // write transaction afterwards, so of two concurrent answers exactly one sets its password.
  const hash = await hashPassword(newPassword);
  writeTransaction(ctx.db, () => {
    consumeSession(ctx, client, session);
    const current = findUser(ctx, pool, user.username);
    if (!current || current.sub !== user.sub || current.status !== 'FORCE_CHANGE_PASSWORD') {
      throw invalidSession();
    }
    if (!current.enabled) throw userDisabled();
    ctx.db
      .prepare(
        `UPDATE users SET password_hash = ?, status = 'CONFIRMED', temp_password_expires_at = NULL,
           attributes = ?, email = ?, updated_at = ?, failed_sign_ins = 0, locked_until = NULL
         WHERE pool_id = ? AND username_key = ?`,
      )
      .run(
        hash,
        JSON.stringify(attributes),
        attributes.email?.toLowerCase() ?? null,
        ctx.now(),
        pool.id,
        current.usernameKey,
      );
  });
  const updated = findUser(ctx, pool, user.username);
  if (!updated) throw invalidSession();
  return tokensResponse(await issueTokens(ctx, pool, client, updated));
}

/** The user a session was opened for, checked to be the one named in the response and still the same. */
export function sessionUser(
  ctx: ServiceContext,
  pool: PoolRecord,
  username: string,
  state: { username: string; sub: string | null },
): UserRecord {
  const user = findUser(ctx, pool, username);
  if (!user || user.sub !== state.sub) throw invalidSession();
  return user;
}
