// Checks on the tokens this service issued, written once for every operation that accepts one: GetUser
// and GlobalSignOut (access tokens) and Cognito Identity's Logins (ID tokens). The checks report a
// TokenProblem; each caller words it as its own API does.
import { decodeJwt, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import { familyOf } from './auth-refresh-tokens';
import type { ServiceContext } from './context';
import { notAuthorized, userDisabled, userNotFound } from './errors';
import { findUser, getPool, type PoolRecord, type UserRecord } from './store';
import { issuerOf, publicKeyFor } from './tokens';

export type TokenProblem =
  /** Not one of our tokens: malformed, unknown key, foreign issuer, bad signature, wrong token_use. */
  | 'invalid'
  | 'expired'
  | 'user_not_found'
  /** Its family was revoked, a global sign-out (or disabling) came after it, or its user was replaced. */
  | 'revoked'
  | 'disabled';

export class TokenRejected extends Error {
  constructor(readonly problem: TokenProblem) {
    super(`token rejected: ${problem}`);
    this.name = 'TokenRejected';
  }
}

export interface SignedToken {
  /** The pool the token's issuer names. */
  pool: PoolRecord;
  claims: JWTPayload;
}

/**
 * A token signed with one of this data directory's keys, issued (`<origin>/<poolId>`) by an existing
 * pool, not expired on the service clock, with the given token_use.
 */
export async function verifySignedToken(
  ctx: ServiceContext,
  token: unknown,
  tokenUse: 'id' | 'access',
): Promise<SignedToken> {
  if (typeof token !== 'string' || token === '') throw new TokenRejected('invalid');
  let kid: string | undefined;
  let unverified: JWTPayload;
  try {
    kid = decodeProtectedHeader(token).kid;
    unverified = decodeJwt(token);
  } catch {
    throw new TokenRejected('invalid');
  }
  const key = kid ? publicKeyFor(ctx, kid) : undefined;
  const poolId = typeof unverified.iss === 'string' ? unverified.iss.slice(ctx.origin.length + 1) : '';
  if (!key || unverified.iss !== issuerOf(ctx, poolId) || poolId.includes('/')) {
    throw new TokenRejected('invalid');
  }
  let pool: PoolRecord;
  try {
    pool = getPool(ctx, poolId);
  } catch {
    throw new TokenRejected('invalid');
  }
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(token, key, {
      algorithms: ['RS256'],
      issuer: issuerOf(ctx, pool.id),
      currentDate: new Date(ctx.now()),
    }));
  } catch (error) {
    throw new TokenRejected(error instanceof errors.JWTExpired ? 'expired' : 'invalid');
  }
  if (claims.token_use !== tokenUse) throw new TokenRejected('invalid');
  return { pool, claims };
}

/** What ties a verified token to its user and its sign-in. */
export interface TokenSubject {
  username: string;
  sub: string;
  originJti: string;
}

/**
 * The user a verified token still speaks for: the same user (not a new one with the same name), its
 * family not revoked, the user enabled, and no global sign-out (or disabling) since the sign-in.
 */
export function tokenHolder(ctx: ServiceContext, pool: PoolRecord, subject: TokenSubject): UserRecord {
  const user = findUser(ctx, pool, subject.username);
  if (!user) throw new TokenRejected('user_not_found');
  if (user.sub !== subject.sub) throw new TokenRejected('revoked');
  const family = familyOf(ctx, subject.originJti);
  if (!family || family.poolId !== pool.id || family.revokedAt !== null) throw new TokenRejected('revoked');
  // Disabling also moves tokens_valid_after; callers may say why, as Cognito does.
  if (!user.enabled) throw new TokenRejected('disabled');
  // tokens_valid_after is compared with the sign-in that started the family, in milliseconds: `iat`
  // has whole seconds and would refuse a sign-in just after a sign-out.
  if (family.createdAt < user.tokensValidAfter) throw new TokenRejected('revoked');
  return user;
}

// ---------------------------------------------------------------------------------------------
// Access tokens (GetUser, GlobalSignOut)

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  username: string;
  client_id: string;
  origin_jti: string;
  token_use: 'access';
  iat: number;
}

export interface VerifiedAccessToken {
  pool: PoolRecord;
  user: UserRecord;
  claims: AccessTokenClaims;
}

const accessTokenErrors = {
  invalid: () => notAuthorized('Invalid Access Token'),
  expired: () => notAuthorized('Access Token has expired'),
  user_not_found: () => userNotFound(),
  revoked: () => notAuthorized('Access Token has been revoked'),
  disabled: () => userDisabled(),
} satisfies Record<TokenProblem, () => Error>;

/** Checks an access token as Cognito does for GetUser, failing with Cognito's messages. */
export async function verifyAccessToken(ctx: ServiceContext, token: unknown): Promise<VerifiedAccessToken> {
  try {
    const { pool, claims } = await verifySignedToken(ctx, token, 'access');
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.username !== 'string' ||
      typeof claims.origin_jti !== 'string' ||
      typeof claims.iat !== 'number'
    ) {
      throw new TokenRejected('invalid');
    }
    const access = claims as AccessTokenClaims;
    const user = tokenHolder(ctx, pool, {
      username: access.username,
      sub: access.sub,
      originJti: access.origin_jti,
    });
    return { pool, user, claims: access };
  } catch (error) {
    if (error instanceof TokenRejected) throw accessTokenErrors[error.problem]();
    throw error;
  }
}
