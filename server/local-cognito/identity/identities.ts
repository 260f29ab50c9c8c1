// Identities: GetId (one identity per identity pool, provider and user, the same on every call) and
// GetCredentialsForIdentity (credentials for the role ./role-choice.ts picks).
import type { Operation, ServiceContext } from '../context';
import { uuid } from '../crypto';
import { CognitoError, notAuthorized, resourceNotFound } from '../errors';
import { stmt, writeTransaction } from '../sql';
import { ARN_LENGTH, type Input, optionalString, requiredString } from '../validate';
import { issueCredentials } from './credentials';
import { readLogins, type VerifiedLogin, verifyLogins } from './logins';
import { getIdentityPool, type IdentityPoolRecord, identityPoolIdOf } from './pool-records';
import { chooseAuthenticatedRole, chooseUnauthenticatedRole } from './role-choice';

const unauthenticatedRefused = () =>
  notAuthorized('Unauthenticated access is not supported for this identity pool.');
const loginsDoNotMatch = () =>
  notAuthorized(
    "Logins don't match. Please include at least one valid login for this identity or identity pool.",
  );

/** The identity a login is linked to, if any. */
function ownerOf(ctx: ServiceContext, poolId: string, login: VerifiedLogin): string | undefined {
  const row = stmt(
    ctx.db,
    'SELECT identity_id FROM identity_logins WHERE pool_id = ? AND provider = ? AND subject = ?',
  ).get(poolId, login.provider, login.subject) as { identity_id: string } | undefined;
  return row?.identity_id;
}

function link(ctx: ServiceContext, poolId: string, identityId: string, logins: VerifiedLogin[]) {
  const now = ctx.now();
  for (const login of logins) {
    stmt(
      ctx.db,
      `INSERT OR IGNORE INTO identity_logins (pool_id, provider, subject, identity_id, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    ).run(poolId, login.provider, login.subject, identityId, now);
  }
}

function createIdentity(ctx: ServiceContext, pool: IdentityPoolRecord): string {
  const id = `${ctx.region}:${uuid()}`;
  const now = ctx.now();
  stmt(ctx.db, 'INSERT INTO identities (id, pool_id, created_at, updated_at) VALUES (?, ?, ?, ?)').run(
    id,
    pool.id,
    now,
    now,
  );
  return id;
}

/** The identity of these logins: the one they are linked to, or a new one linked to all of them. */
function identityForLogins(ctx: ServiceContext, pool: IdentityPoolRecord, logins: VerifiedLogin[]): string {
  // One transaction: two first GetId calls for one user (two tabs, two processes) get one identity.
  return writeTransaction(ctx.db, () => {
    const owners = new Set(
      logins.map((login) => ownerOf(ctx, pool.id, login)).filter((id) => id !== undefined),
    );
    if (owners.size > 1) {
      throw new CognitoError('ResourceConflictException', 'The logins are linked to different identities.');
    }
    const identityId = [...owners][0] ?? createIdentity(ctx, pool);
    link(ctx, pool.id, identityId, logins);
    return identityId;
  });
}

async function getId(input: Input, ctx: ServiceContext) {
  const pool = getIdentityPool(ctx, identityPoolIdOf(input));
  optionalString(input, 'AccountId', { min: 1, max: 15, pattern: /^\d+$/, patternText: '\\d+' });
  const logins = await verifyLogins(ctx, pool, readLogins(input));
  if (logins.length > 0) return { IdentityId: identityForLogins(ctx, pool, logins) };
  if (!pool.config.AllowUnauthenticatedIdentities) throw unauthenticatedRefused();
  return { IdentityId: writeTransaction(ctx.db, () => createIdentity(ctx, pool)) };
}

/**
 * The role for `identityId` given the request's logins. An identity with logins needs one of them
 * again; logins of another identity are refused; an identity without logins is unauthenticated,
 * unless logins come with it, which links them to it (as Cognito does).
 */
function roleFor(
  ctx: ServiceContext,
  pool: IdentityPoolRecord,
  identityId: string,
  logins: VerifiedLogin[],
  customRoleArn: string | undefined,
): string {
  return writeTransaction(ctx.db, () => {
    const linkedCount = (
      stmt(ctx.db, 'SELECT count(*) AS n FROM identity_logins WHERE identity_id = ?').get(identityId) as {
        n: number;
      }
    ).n;
    if (logins.length === 0) {
      if (linkedCount > 0) throw notAuthorized(`Access to Identity '${identityId}' is forbidden.`);
      if (!pool.config.AllowUnauthenticatedIdentities) throw unauthenticatedRefused();
      return chooseUnauthenticatedRole(pool);
    }
    const owners = logins.map((login) => ownerOf(ctx, pool.id, login));
    if (owners.some((owner) => owner !== undefined && owner !== identityId)) throw loginsDoNotMatch();
    const own = logins.filter((_, index) => owners[index] === identityId);
    if (linkedCount > 0 && own.length === 0) throw loginsDoNotMatch();
    link(ctx, pool.id, identityId, logins);
    const deciding = own[0] ?? logins[0]!;
    return chooseAuthenticatedRole(pool, deciding, customRoleArn);
  });
}

async function getCredentialsForIdentity(input: Input, ctx: ServiceContext) {
  const identityId = requiredString(input, 'IdentityId', {
    min: 1,
    max: 55,
    pattern: /^[\w-]+:[0-9a-f-]+$/,
    patternText: '[\\w-]+:[0-9a-f-]+',
  });
  const customRoleArn = optionalString(input, 'CustomRoleArn', ARN_LENGTH);
  const identity = stmt(ctx.db, 'SELECT pool_id FROM identities WHERE id = ?').get(identityId) as
    | { pool_id: string }
    | undefined;
  if (!identity) throw resourceNotFound(`Identity '${identityId}' not found.`);
  const pool = getIdentityPool(ctx, identity.pool_id);
  const logins = await verifyLogins(ctx, pool, readLogins(input));
  const roleArn = roleFor(ctx, pool, identityId, logins, customRoleArn);
  return { IdentityId: identityId, Credentials: issueCredentials(ctx, { identityId, roleArn }) };
}

export const identityOperations: Record<string, Operation> = {
  GetId: getId,
  GetCredentialsForIdentity: getCredentialsForIdentity,
};
