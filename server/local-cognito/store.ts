// Row ↔ record mapping and the look-ups every operation shares. The schema lives in db.ts.
import type { ServiceContext } from './context';
import { CognitoError, resourceNotFound, userNotFound } from './errors';
import { stmt } from './sql';
import type { LambdaConfig } from './triggers';

/** The parts of Cognito's UserPoolType we keep, in Cognito's own field names (DescribeUserPool returns them). */
export interface PoolConfig {
  Policies?: {
    PasswordPolicy?: {
      MinimumLength?: number;
      RequireUppercase?: boolean;
      RequireLowercase?: boolean;
      RequireNumbers?: boolean;
      RequireSymbols?: boolean;
      TemporaryPasswordValidityDays?: number;
    };
  };
  LambdaConfig?: LambdaConfig;
  UsernameAttributes?: string[];
  AliasAttributes?: string[];
  UsernameConfiguration?: { CaseSensitive?: boolean };
  AutoVerifiedAttributes?: string[];
  AdminCreateUserConfig?: {
    AllowAdminCreateUserOnly?: boolean;
    UnusedAccountValidityDays?: number;
    InviteMessageTemplate?: { EmailMessage?: string; EmailSubject?: string; SMSMessage?: string };
  };
  [field: string]: unknown;
}

export interface PoolRecord {
  id: string;
  name: string;
  arn: string;
  config: PoolConfig;
  createdAt: number;
  updatedAt: number;
}

export interface ClientConfig {
  ExplicitAuthFlows?: string[];
  /** Session (custom-auth / challenge) validity in minutes, 3..15; Cognito's default is 3. */
  AuthSessionValidity?: number;
  AccessTokenValidity?: number;
  IdTokenValidity?: number;
  RefreshTokenValidity?: number;
  TokenValidityUnits?: { AccessToken?: string; IdToken?: string; RefreshToken?: string };
  EnableTokenRevocation?: boolean;
  PreventUserExistenceErrors?: string;
  [field: string]: unknown;
}

export interface ClientRecord {
  clientId: string;
  poolId: string;
  name: string;
  secret: string | null;
  config: ClientConfig;
  createdAt: number;
  updatedAt: number;
}

export interface UserRecord {
  poolId: string;
  username: string;
  usernameKey: string;
  sub: string;
  email: string | null;
  status: string;
  enabled: boolean;
  attributes: Record<string, string>;
  passwordHash: string | null;
  tempPasswordExpiresAt: number | null;
  tokensValidAfter: number;
  createdAt: number;
  updatedAt: number;
}

interface PoolRow {
  id: string;
  name: string;
  config: string;
  created_at: number;
  updated_at: number;
}

export function getPool(ctx: ServiceContext, poolId: unknown): PoolRecord {
  if (typeof poolId !== 'string' || poolId === '') {
    throw new CognitoError('InvalidParameterException', 'UserPoolId is required');
  }
  const row = stmt(ctx.db, 'SELECT * FROM user_pools WHERE id = ?').get(poolId) as PoolRow | undefined;
  if (!row) throw resourceNotFound(`User pool ${poolId} does not exist.`);
  return {
    id: row.id,
    name: row.name,
    arn: `arn:aws:cognito-idp:${ctx.region}:${ctx.accountId}:userpool/${row.id}`,
    config: JSON.parse(row.config) as PoolConfig,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

interface ClientRow {
  client_id: string;
  pool_id: string;
  name: string;
  config: string;
  client_secret: string | null;
  created_at: number;
  updated_at: number;
}

/** The app client, checked to belong to `poolId` when one is given. */
export function getClient(ctx: ServiceContext, clientId: unknown, poolId?: string): ClientRecord {
  if (typeof clientId !== 'string' || clientId === '') {
    throw new CognitoError('InvalidParameterException', 'ClientId is required');
  }
  const row = stmt(ctx.db, 'SELECT * FROM user_pool_clients WHERE client_id = ?').get(clientId) as
    | ClientRow
    | undefined;
  if (!row || (poolId !== undefined && row.pool_id !== poolId)) {
    throw resourceNotFound(`User pool client ${clientId} does not exist.`);
  }
  return {
    clientId: row.client_id,
    poolId: row.pool_id,
    name: row.name,
    secret: row.client_secret,
    config: JSON.parse(row.config) as ClientConfig,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Cognito usernames are case-insensitive unless the pool says otherwise. */
export function usernameKey(pool: PoolRecord, username: string): string {
  return pool.config.UsernameConfiguration?.CaseSensitive === true ? username : username.toLowerCase();
}

/** True when people sign in with their email address (UsernameAttributes or AliasAttributes has email). */
export function emailSignIn(pool: PoolRecord): boolean {
  return (
    (pool.config.UsernameAttributes ?? []).includes('email') ||
    (pool.config.AliasAttributes ?? []).includes('email')
  );
}

interface UserRow {
  pool_id: string;
  username: string;
  username_key: string;
  sub: string;
  email: string | null;
  status: string;
  enabled: number;
  attributes: string;
  password_hash: string | null;
  temp_password_expires_at: number | null;
  tokens_valid_after: number;
  created_at: number;
  updated_at: number;
}

export function toUserRecord(row: UserRow): UserRecord {
  return {
    poolId: row.pool_id,
    username: row.username,
    usernameKey: row.username_key,
    sub: row.sub,
    email: row.email,
    status: row.status,
    enabled: row.enabled === 1,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    passwordHash: row.password_hash,
    tempPasswordExpiresAt: row.temp_password_expires_at,
    tokensValidAfter: row.tokens_valid_after,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The user a `Username` parameter names: the username itself, or — in pools where people sign in with
 * their email — the email address, as Cognito's admin APIs accept. Undefined when there is none.
 */
export function findUser(ctx: ServiceContext, pool: PoolRecord, name: string): UserRecord | undefined {
  const byName = stmt(ctx.db, 'SELECT * FROM users WHERE pool_id = ? AND username_key = ?').get(
    pool.id,
    usernameKey(pool, name),
  ) as UserRow | undefined;
  if (byName) return toUserRecord(byName);
  if (emailSignIn(pool) && name.includes('@')) {
    const byEmail = stmt(ctx.db, 'SELECT * FROM users WHERE pool_id = ? AND email = ? LIMIT 1').get(
      pool.id,
      name.toLowerCase(),
    ) as UserRow | undefined;
    if (byEmail) return toUserRecord(byEmail);
  }
  return undefined;
}

export function requireUser(ctx: ServiceContext, pool: PoolRecord, name: unknown): UserRecord {
  if (typeof name !== 'string' || name === '') {
    throw new CognitoError('InvalidParameterException', 'Username is required');
  }
  const user = findUser(ctx, pool, name);
  if (!user) throw userNotFound();
  return user;
}

/** Group names the user belongs to, ordered by precedence (lowest first), then name — as in tokens. */
export function groupsOfUser(
  ctx: ServiceContext,
  user: UserRecord,
): { name: string; roleArn: string | null }[] {
  const rows = stmt(
    ctx.db,
    `SELECT g.name, g.role_arn FROM user_groups ug
       JOIN groups g ON g.pool_id = ug.pool_id AND g.name = ug.group_name
       WHERE ug.pool_id = ? AND ug.username_key = ?
       ORDER BY g.precedence IS NULL, g.precedence, g.name`,
  ).all(user.poolId, user.usernameKey) as { name: string; role_arn: string | null }[];
  return rows.map((row) => ({ name: row.name, roleArn: row.role_arn }));
}

/** Cognito's AttributeType list for a user's attributes (sub first, as Cognito returns it). */
export function attributeList(user: UserRecord): { Name: string; Value: string }[] {
  const list = [{ Name: 'sub', Value: user.sub }];
  for (const [Name, Value] of Object.entries(user.attributes)) if (Name !== 'sub') list.push({ Name, Value });
  return list;
}

/** Epoch seconds, as every date on the wire. */
export const seconds = (ms: number) => ms / 1000;
