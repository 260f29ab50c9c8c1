// The credentials GetCredentialsForIdentity issues, and what STS GetCallerIdentity needs to check a
// request signed with them. They are plainly local: the key id starts ASIALOCAL, the session token
// names this service, and no AWS service accepts them.
//
// SigV4 verification needs the secret key itself, so a hash cannot stand in for it. Instead the secret
// is never stored: it is an HMAC of the key id under the pepper that lives in a file beside the
// database (as temporary passwords are hashed), so the database alone yields no usable secret. The
// session token is stored as a hash only.
import { createHmac } from 'node:crypto';
import type { ServiceContext } from '../context';
import { BASE32_ALPHABET, hashToken, randomString, randomToken, sameBytes } from '../crypto';
import { stmt } from '../sql';

/** ASIA marks temporary credentials, as in AWS; LOCAL marks these as this service's. */
const LOCAL_ACCESS_KEY_PREFIX = 'ASIALOCAL';
const LOCAL_SESSION_TOKEN_PREFIX = 'studio-access-local-identity-service/';
/** As Cognito Identity's: one hour. */
const CREDENTIALS_LIFETIME_MS = 60 * 60_000;
// Expired credentials are kept a while so STS answers ExpiredToken rather than InvalidClientTokenId.
const KEEP_EXPIRED_MS = 7 * 24 * 60 * 60_000;

export interface IssuedCredentials {
  accessKeyId: string;
  roleArn: string;
  identityId: string;
  expiresAt: number;
  sessionTokenHash: string;
}

/** The secret key of an issued key id: derived, never stored. */
export function secretKeyOf(ctx: ServiceContext, accessKeyId: string): string {
  return createHmac('sha256', ctx.pepper)
    .update(`issued-credentials-secret:${accessKeyId}`)
    .digest()
    .subarray(0, 30)
    .toString('base64');
}

/** Cognito Identity's Credentials shape, with Expiration in epoch seconds. */
export function issueCredentials(ctx: ServiceContext, grant: { identityId: string; roleArn: string }) {
  const now = ctx.now();
  // 20 characters like an AWS key id: the prefix and 11 random ones (55 bits; the session token and
  // the secret carry the real entropy).
  const accessKeyId = `${LOCAL_ACCESS_KEY_PREFIX}${randomString(20 - LOCAL_ACCESS_KEY_PREFIX.length, BASE32_ALPHABET)}`;
  const sessionToken = `${LOCAL_SESSION_TOKEN_PREFIX}${randomToken(48)}`;
  const expiresAt = now + CREDENTIALS_LIFETIME_MS;
  stmt(ctx.db, 'DELETE FROM issued_credentials WHERE expires_at < ?').run(now - KEEP_EXPIRED_MS);
  stmt(
    ctx.db,
    `INSERT INTO issued_credentials (access_key_id, session_token_hash, role_arn, identity_id, expires_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(accessKeyId, hashToken(sessionToken), grant.roleArn, grant.identityId, expiresAt, now);
  return {
    AccessKeyId: accessKeyId,
    SecretKey: secretKeyOf(ctx, accessKeyId),
    SessionToken: sessionToken,
    Expiration: Math.floor(expiresAt / 1000),
  };
}

export function findIssuedCredentials(
  ctx: ServiceContext,
  accessKeyId: string,
): IssuedCredentials | undefined {
  const row = stmt(ctx.db, 'SELECT * FROM issued_credentials WHERE access_key_id = ?').get(accessKeyId) as
    | {
        access_key_id: string;
        role_arn: string;
        identity_id: string;
        expires_at: number;
        session_token_hash: string;
      }
    | undefined;
  return row
    ? {
        accessKeyId: row.access_key_id,
        roleArn: row.role_arn,
        identityId: row.identity_id,
        expiresAt: row.expires_at,
        sessionTokenHash: row.session_token_hash,
      }
    : undefined;
}

/** Whether `token` is the session token issued with these credentials (constant-time). */
export function sessionTokenMatches(issued: IssuedCredentials, token: string | undefined): boolean {
  if (token === undefined) return false;
  return sameBytes(Buffer.from(hashToken(token)), Buffer.from(issued.sessionTokenHash));
}
