// Refresh tokens and the token families they start. A family is one sign-in: its refresh token (only
// the hash is stored) and every access/ID token minted from it share its origin_jti, so revoking the
// family (RevokeToken, global sign-out) revokes all of them.
import { decodeJwt } from 'jose';
import type { ServiceContext } from './context';
import { hashToken, randomToken } from './crypto';
import { CognitoError, notAuthorized, userDisabled, userNotFound } from './errors';
import { type ClientRecord, findUser, type PoolRecord, type UserRecord } from './store';
import type { TokenFamily } from './tokens';

interface FamilyRow {
  token_hash: string;
  origin_jti: string;
  pool_id: string;
  client_id: string;
  username_key: string;
  auth_time: number;
  expires_at: number;
  revoked_at: number | null;
  created_at: number;
}

export interface RefreshTokenRecord {
  originJti: string;
  poolId: string;
  clientId: string;
  usernameKey: string;
  authTime: number;
  expiresAt: number;
  revokedAt: number | null;
  createdAt: number;
}

const toRecord = (row: FamilyRow): RefreshTokenRecord => ({
  originJti: row.origin_jti,
  poolId: row.pool_id,
  clientId: row.client_id,
  usernameKey: row.username_key,
  authTime: row.auth_time,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
  createdAt: row.created_at,
});

/** Stores a new family and returns its refresh token (an opaque random string). */
export function startFamily(
  ctx: ServiceContext,
  family: {
    originJti: string;
    poolId: string;
    clientId: string;
    user: UserRecord;
    authTime: number;
    now: number;
    validity: { refresh: number };
  },
): string {
  const token = randomToken(64);
  ctx.db
    .prepare(
      `INSERT INTO refresh_tokens (token_hash, origin_jti, pool_id, client_id, username_key, auth_time, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      hashToken(token),
      family.originJti,
      family.poolId,
      family.clientId,
      family.user.usernameKey,
      family.authTime,
      family.now + family.validity.refresh * 1000,
      family.now,
    );
  return token;
}

/** The family an access token names by its origin_jti. */
export function familyOf(ctx: ServiceContext, originJti: string): RefreshTokenRecord | undefined {
  const row = ctx.db.prepare('SELECT * FROM refresh_tokens WHERE origin_jti = ?').get(originJti) as
    | FamilyRow
    | undefined;
  return row ? toRecord(row) : undefined;
}

/** The stored family of a refresh token, or undefined when the token was never issued here. */
export function findRefreshToken(ctx: ServiceContext, token: string): RefreshTokenRecord | undefined {
  const row = ctx.db.prepare('SELECT * FROM refresh_tokens WHERE token_hash = ?').get(hashToken(token)) as
    | FamilyRow
    | undefined;
  return row ? toRecord(row) : undefined;
}

/** The username a refresh token was issued to (for SECRET_HASH of a refresh), if the token is known. */
export function refreshTokenOwner(ctx: ServiceContext, token: string): string | undefined {
  const record = findRefreshToken(ctx, token);
  if (!record) return undefined;
  const row = ctx.db
    .prepare('SELECT username FROM users WHERE pool_id = ? AND username_key = ?')
    .get(record.poolId, record.usernameKey) as { username: string } | undefined;
  return row?.username;
}

/**
 * REFRESH_TOKEN_AUTH: the user a refresh token still speaks for. Fails as Cognito does when the token
 * is unknown or another client's, revoked (RevokeToken, global sign-out), expired, or its user was
 * deleted, replaced or disabled.
 */
export function userForRefreshToken(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  token: string,
): { user: UserRecord; family: TokenFamily } {
  const record = findRefreshToken(ctx, token);
  if (!record || record.clientId !== client.clientId || record.poolId !== pool.id) {
    throw notAuthorized('Invalid Refresh Token');
  }
  if (record.revokedAt !== null) throw notAuthorized('Refresh Token has been revoked');
  if (ctx.now() >= record.expiresAt) throw notAuthorized('Refresh Token has expired');
  const row = ctx.db
    .prepare('SELECT username FROM users WHERE pool_id = ? AND username_key = ?')
    .get(pool.id, record.usernameKey) as { username: string } | undefined;
  const user = row ? findUser(ctx, pool, row.username) : undefined;
  if (!user) throw userNotFound();
  // A token older than the user was issued to a deleted namesake; one older than tokens_valid_after
  // was revoked by a global sign-out (or by disabling the user).
  if (record.createdAt < user.createdAt) throw notAuthorized('Refresh Token has been revoked');
  if (!user.enabled) throw userDisabled();
  if (record.createdAt < user.tokensValidAfter) throw notAuthorized('Refresh Token has been revoked');
  return { user, family: { originJti: record.originJti, authTime: record.authTime } };
}

/** Global sign-out: revokes every token family of the user and refuses any token issued before now. */
export function revokeAllTokens(ctx: ServiceContext, user: UserRecord): void {
  const now = ctx.now();
  ctx.db
    .transaction(() => {
      ctx.db
        .prepare(
          'UPDATE refresh_tokens SET revoked_at = ? WHERE pool_id = ? AND username_key = ? AND revoked_at IS NULL',
        )
        .run(now, user.poolId, user.usernameKey);
      ctx.db
        .prepare(
          'UPDATE users SET tokens_valid_after = ?, updated_at = ? WHERE pool_id = ? AND username_key = ?',
        )
        .run(now, now, user.poolId, user.usernameKey);
    })
    .immediate();
}

/** RevokeToken: revokes the family of one refresh token (its access tokens fail GetUser from now on). */
export function revokeRefreshToken(ctx: ServiceContext, client: ClientRecord, token: string): void {
  if (looksLikeJwt(token)) {
    throw new CognitoError(
      'UnsupportedTokenTypeException',
      'Unsupported token type, only refresh tokens can be revoked.',
    );
  }
  const record = findRefreshToken(ctx, token);
  // As OAuth revocation (RFC 7009): a token that was never issued here is already as good as revoked.
  if (!record) return;
  if (record.clientId !== client.clientId) {
    throw new CognitoError('UnauthorizedException', 'Token was not issued to this client.');
  }
  ctx.db
    .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE origin_jti = ? AND revoked_at IS NULL')
    .run(ctx.now(), record.originJti);
}

function looksLikeJwt(token: string): boolean {
  try {
    decodeJwt(token);
    return true;
  } catch {
    return false;
  }
}
