// RS256 tokens shaped like Cognito's, the key that signs them, and the refresh-token families that
// revocation works on. Every time comes from ctx.now() so tests can move the clock.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { type JWTPayload, SignJWT } from 'jose';
import { startFamily } from './auth-refresh-tokens';
import type { ServiceContext } from './context';
import { uuid } from './crypto';
import type { Db } from './db';
import type { ClientRecord, PoolRecord, UserRecord } from './store';

// ---------------------------------------------------------------------------------------------
// Signing key

export interface PublicJwk {
  kty: 'RSA';
  alg: 'RS256';
  use: 'sig';
  kid: string;
  n: string;
  e: string;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

interface SigningKeyRow {
  kid: string;
  private_pem: string;
  public_jwk: string;
}

const keyCache = new WeakMap<Db, SigningKey>();

/**
 * The data directory's signing key, created on first use. Two processes sharing one directory agree:
 * each generates a candidate, but only the first insert wins and both then use the oldest row.
 */
export function signingKey(ctx: ServiceContext): SigningKey {
  const cached = keyCache.get(ctx.db);
  if (cached) return cached;
  let row = oldestKey(ctx.db);
  if (!row) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { n, e } = publicKey.export({ format: 'jwk' });
    if (!n || !e) throw new Error('RSA key export lacks n/e');
    // RFC 7638 thumbprint: stable, unique per key, and what JWKS consumers expect a kid to look like.
    const kid = createHash('sha256')
      .update(JSON.stringify({ e, kty: 'RSA', n }))
      .digest('base64url');
    const jwk: PublicJwk = { kty: 'RSA', alg: 'RS256', use: 'sig', kid, n, e };
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    ctx.db
      .transaction(() => {
        if (oldestKey(ctx.db)) return;
        ctx.db
          .prepare('INSERT INTO signing_keys (kid, private_pem, public_jwk, created_at) VALUES (?, ?, ?, ?)')
          .run(kid, pem, JSON.stringify(jwk), ctx.now());
      })
      .immediate();
    row = oldestKey(ctx.db);
    if (!row) throw new Error('signing key was not stored');
  }
  const privateKey = createPrivateKey(row.private_pem);
  const key: SigningKey = { kid: row.kid, privateKey, publicKey: createPublicKey(privateKey) };
  keyCache.set(ctx.db, key);
  return key;
}

function oldestKey(db: Db): SigningKeyRow | undefined {
  return db
    .prepare('SELECT kid, private_pem, public_jwk FROM signing_keys ORDER BY created_at, kid LIMIT 1')
    .get() as SigningKeyRow | undefined;
}

/** The JWKS every pool publishes: all keys of this data directory (in practice one). */
export function jwks(ctx: ServiceContext): { keys: PublicJwk[] } {
  signingKey(ctx);
  const rows = ctx.db.prepare('SELECT public_jwk FROM signing_keys ORDER BY created_at, kid').all() as {
    public_jwk: string;
  }[];
  return { keys: rows.map((row) => JSON.parse(row.public_jwk) as PublicJwk) };
}

/** The public key of `kid` among this data directory's signing keys, if it is one of them. */
export function publicKeyFor(ctx: ServiceContext, kid: string): KeyObject | undefined {
  const own = signingKey(ctx);
  if (own.kid === kid) return own.publicKey;
  const row = ctx.db.prepare('SELECT public_jwk FROM signing_keys WHERE kid = ?').get(kid) as
    | { public_jwk: string }
    | undefined;
  return row ? createPublicKey({ key: JSON.parse(row.public_jwk) as JsonWebKey, format: 'jwk' }) : undefined;
}

export const issuerOf = (ctx: ServiceContext, poolId: string) => `${ctx.origin}/${poolId}`;

// ---------------------------------------------------------------------------------------------
// Issuing

export interface AuthenticationResult {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** Token lifetimes from the app client: AccessTokenValidity etc. in TokenValidityUnits (Cognito's defaults). */
export function tokenValidity(client: ClientRecord): { access: number; id: number; refresh: number } {
  const { config } = client;
  const units = config.TokenValidityUnits ?? {};
  const seconds = (
    value: number | undefined,
    unit: string | undefined,
    defaultUnit: string,
    fallback: number,
  ) => (typeof value === 'number' && value > 0 ? value * (UNIT_SECONDS[unit ?? defaultUnit] ?? 1) : fallback);
  return {
    access: seconds(config.AccessTokenValidity, units.AccessToken, 'hours', 3600),
    id: seconds(config.IdTokenValidity, units.IdToken, 'hours', 3600),
    refresh: seconds(config.RefreshTokenValidity, units.RefreshToken, 'days', 30 * 86400),
  };
}

interface GroupClaims {
  groups: string[];
  roles: string[];
  preferredRole: string | undefined;
}

function groupClaims(ctx: ServiceContext, user: UserRecord): GroupClaims {
  const rows = ctx.db
    .prepare(
      `SELECT g.name, g.role_arn, g.precedence FROM user_groups ug
       JOIN groups g ON g.pool_id = ug.pool_id AND g.name = ug.group_name
       WHERE ug.pool_id = ? AND ug.username_key = ?
       ORDER BY g.precedence IS NULL, g.precedence, g.name`,
    )
    .all(user.poolId, user.usernameKey) as {
    name: string;
    role_arn: string | null;
    precedence: number | null;
  }[];
  const withRole = rows.filter((row) => row.role_arn);
  return {
    groups: rows.map((row) => row.name),
    roles: [...new Set(withRole.map((row) => row.role_arn as string))],
    preferredRole: preferredRoleOf(withRole),
  };
}

/**
 * Cognito's cognito:preferred_role: the role of the group with the lowest Precedence (null counts as
 * lowest priority). Groups tied on that precedence give their role only when they all carry the same
 * one; tied groups with different roles give none. `groups` is sorted by precedence, nulls last.
 */
function preferredRoleOf(groups: { role_arn: string | null; precedence: number | null }[]) {
  const first = groups[0];
  if (!first) return undefined;
  const tied = groups.filter((group) => group.precedence === first.precedence);
  return tied.every((group) => group.role_arn === first.role_arn) ? (first.role_arn ?? undefined) : undefined;
}

/** ID-token attribute claims: every attribute but sub, with *_verified as booleans, as Cognito renders them. */
function attributeClaims(user: UserRecord): Record<string, string | boolean> {
  const claims: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(user.attributes)) {
    if (name === 'sub') continue;
    claims[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  return claims;
}

export interface TokenFamily {
  originJti: string;
  /** Epoch seconds of the sign-in that started the family. */
  authTime: number;
}

/**
 * Access and ID tokens for `user`. Without `family` this is a new sign-in: a new family and its refresh
 * token (only the hash is kept). With `family` (REFRESH_TOKEN_AUTH) no refresh token is returned.
 */
export async function issueTokens(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  family?: TokenFamily,
): Promise<AuthenticationResult> {
  const now = ctx.now();
  const iat = Math.floor(now / 1000);
  const validity = tokenValidity(client);
  const originJti = family?.originJti ?? uuid();
  const authTime = family?.authTime ?? iat;
  const eventId = uuid();
  // A new sign-in starts a family: its refresh token, of which only the hash is stored.
  const refreshToken = family
    ? undefined
    : startFamily(ctx, {
        originJti,
        poolId: pool.id,
        clientId: client.clientId,
        user,
        authTime,
        now,
        validity,
      });
  const { groups, roles, preferredRole } = groupClaims(ctx, user);
  const key = signingKey(ctx);
  const iss = issuerOf(ctx, pool.id);
  const sign = (claims: JWTPayload) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);

  const idToken = await sign({
    sub: user.sub,
    ...(groups.length ? { 'cognito:groups': groups } : {}),
    ...(roles.length ? { 'cognito:roles': roles } : {}),
    ...(preferredRole ? { 'cognito:preferred_role': preferredRole } : {}),
    ...attributeClaims(user),
    iss,
    'cognito:username': user.username,
    origin_jti: originJti,
    aud: client.clientId,
    event_id: eventId,
    token_use: 'id',
    auth_time: authTime,
    exp: iat + validity.id,
    iat,
    jti: uuid(),
  });
  const accessToken = await sign({
    sub: user.sub,
    ...(groups.length ? { 'cognito:groups': groups } : {}),
    iss,
    client_id: client.clientId,
    origin_jti: originJti,
    event_id: eventId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: authTime,
    exp: iat + validity.access,
    iat,
    jti: uuid(),
    username: user.username,
  });
  return {
    AccessToken: accessToken,
    ExpiresIn: validity.access,
    TokenType: 'Bearer',
    IdToken: idToken,
    ...(refreshToken ? { RefreshToken: refreshToken } : {}),
  };
}
