// Writes to the users table and the user shapes on the wire (UserType, AdminGetUser's response).
import type { ServiceContext } from './context';
import { stmt } from './sql';
import { attributeList, type PoolRecord, seconds, toUserRecord, type UserRecord } from './store';

type UserRow = Parameters<typeof toUserRecord>[0];

/** Cognito's UserType: what AdminCreateUser, ListUsers and ListUsersInGroup return per user. */
export function userType(user: UserRecord, attributesToGet?: readonly string[]) {
  const attributes = attributeList(user);
  return {
    Username: user.username,
    Attributes:
      attributesToGet && attributesToGet.length > 0
        ? attributes.filter((attribute) => attributesToGet.includes(attribute.Name))
        : attributes,
    UserCreateDate: seconds(user.createdAt),
    UserLastModifiedDate: seconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** AdminGetUser's response. */
export function getUserResponse(user: UserRecord) {
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    UserCreateDate: seconds(user.createdAt),
    UserLastModifiedDate: seconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

export function userByKey(ctx: ServiceContext, poolId: string, key: string): UserRecord | undefined {
  const row = stmt(ctx.db, 'SELECT * FROM users WHERE pool_id = ? AND username_key = ?').get(poolId, key) as
    | UserRow
    | undefined;
  return row ? toUserRecord(row) : undefined;
}

/** The user whose email is `email` (any case), other than `exceptKey`. */
export function userByEmail(
  ctx: ServiceContext,
  pool: PoolRecord,
  email: string,
  exceptKey?: string,
): UserRecord | undefined {
  const row = stmt(
    ctx.db,
    'SELECT * FROM users WHERE pool_id = ? AND email = ? AND username_key IS NOT ? LIMIT 1',
  ).get(pool.id, email.toLowerCase(), exceptKey ?? null) as UserRow | undefined;
  return row ? toUserRecord(row) : undefined;
}

/** The user whose phone_number is `phone`, other than `exceptKey`. */
export function userByPhone(
  ctx: ServiceContext,
  pool: PoolRecord,
  phone: string,
  exceptKey?: string,
): UserRecord | undefined {
  const row = stmt(
    ctx.db,
    'SELECT * FROM users WHERE pool_id = ? AND phone_number = ? AND username_key IS NOT ? LIMIT 1',
  ).get(pool.id, phone, exceptKey ?? null) as UserRow | undefined;
  return row ? toUserRecord(row) : undefined;
}

const emailColumn = (attributes: Record<string, string>) => attributes.email?.toLowerCase() ?? null;
const phoneColumn = (attributes: Record<string, string>) => attributes.phone_number ?? null;

export interface NewUser {
  poolId: string;
  username: string;
  usernameKey: string;
  sub: string;
  attributes: Record<string, string>;
  status: string;
  passwordHash: string | null;
  tempPasswordExpiresAt: number | null;
  now: number;
}

export function insertUser(ctx: ServiceContext, user: NewUser): UserRecord {
  stmt(
    ctx.db,
    `INSERT INTO users (pool_id, username, username_key, sub, email, phone_number, status, enabled, attributes,
       password_hash, temp_password_expires_at, tokens_valid_after, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 0, ?, ?)`,
  ).run(
    user.poolId,
    user.username,
    user.usernameKey,
    user.sub,
    emailColumn(user.attributes),
    phoneColumn(user.attributes),
    user.status,
    JSON.stringify(user.attributes),
    user.passwordHash,
    user.tempPasswordExpiresAt,
    user.now,
    user.now,
  );
  return {
    poolId: user.poolId,
    username: user.username,
    usernameKey: user.usernameKey,
    sub: user.sub,
    email: emailColumn(user.attributes),
    status: user.status,
    enabled: true,
    attributes: user.attributes,
    passwordHash: user.passwordHash,
    tempPasswordExpiresAt: user.tempPasswordExpiresAt,
    tokensValidAfter: 0,
    createdAt: user.now,
    updatedAt: user.now,
  };
}

export function saveAttributes(
  ctx: ServiceContext,
  user: UserRecord,
  attributes: Record<string, string>,
  now: number,
): void {
  stmt(
    ctx.db,
    `UPDATE users SET attributes = ?, email = ?, phone_number = ?, updated_at = ?
     WHERE pool_id = ? AND username_key = ?`,
  ).run(
    JSON.stringify(attributes),
    emailColumn(attributes),
    phoneColumn(attributes),
    now,
    user.poolId,
    user.usernameKey,
  );
}

export function savePassword(
  ctx: ServiceContext,
  user: UserRecord,
  change: { status: string; hash: string; expiresAt: number | null; now: number },
): void {
  stmt(
    ctx.db,
    // A new password also ends a lockout: the guesses were against the old one.
    `UPDATE users SET status = ?, password_hash = ?, temp_password_expires_at = ?, updated_at = ?,
       failed_sign_ins = 0, locked_until = NULL
     WHERE pool_id = ? AND username_key = ?`,
  ).run(change.status, change.hash, change.expiresAt, change.now, user.poolId, user.usernameKey);
}

export function setEnabled(ctx: ServiceContext, user: UserRecord, enabled: boolean, now: number): void {
  if (enabled) {
    stmt(ctx.db, 'UPDATE users SET enabled = 1, updated_at = ? WHERE pool_id = ? AND username_key = ?').run(
      now,
      user.poolId,
      user.usernameKey,
    );
  } else {
    // Disabling also ends every token issued so far: token checks refuse anything older.
    stmt(
      ctx.db,
      `UPDATE users SET enabled = 0, tokens_valid_after = ?, updated_at = ?
       WHERE pool_id = ? AND username_key = ?`,
    ).run(now, now, user.poolId, user.usernameKey);
  }
}

export function deleteUserRows(ctx: ServiceContext, user: UserRecord): void {
  // Sessions and refresh tokens are keyed by username_key without a foreign key; a later user
  // created with the same name must not inherit them.
  stmt(ctx.db, 'DELETE FROM auth_sessions WHERE pool_id = ? AND username_key = ?').run(
    user.poolId,
    user.usernameKey,
  );
  stmt(ctx.db, 'DELETE FROM refresh_tokens WHERE pool_id = ? AND username_key = ?').run(
    user.poolId,
    user.usernameKey,
  );
  stmt(ctx.db, 'DELETE FROM users WHERE pool_id = ? AND username_key = ?').run(user.poolId, user.usernameKey);
}
