// Users, as an administrator sees them: AdminCreateUser (./admin-create-user), AdminGetUser, ListUsers,
// AdminDeleteUser, AdminDisableUser, AdminEnableUser, AdminUpdateUserAttributes,
// AdminDeleteUserAttributes, AdminSetUserPassword; and the group operations from ./groups.
import { checkMutable, checkRequiredAttributes, readAttributes } from '../attributes';
import type { Operation, ServiceContext } from '../context';
import { hashPassword, hashTemporaryPassword } from '../crypto';
import { CognitoError, invalidParameter, userNotFound } from '../errors';
import { listUsers as listUserPage, parseFilter } from '../list-users';
import { pageLimit, pageToken } from '../paging';
import { checkPassword, temporaryPasswordExpiry } from '../passwords';
import { writeTransaction } from '../sql';
import { getPool, type PoolRecord, requireUser, type UserRecord } from '../store';
import {
  deleteUserRows,
  getUserResponse,
  saveAttributes,
  savePassword,
  setEnabled,
  userByEmail,
  userByKey,
  userByPhone,
  userType,
} from '../user-records';
import {
  type Input,
  optionalBoolean,
  optionalString,
  optionalStringList,
  requiredString,
  userPoolIdOf,
  validationError,
} from '../validate';
import { adminCreateUser, PASSWORD_RULES } from './admin-create-user';
import { groupOperations } from './groups';

/** The pool and the user a request names (by username, or by email in email-username pools). */
function target(input: Input, ctx: ServiceContext): { pool: PoolRecord; user: UserRecord } {
  const pool = getPool(ctx, userPoolIdOf(input));
  requiredString(input, 'Username', { min: 1, max: 128 });
  return { pool, user: requireUser(ctx, pool, input.Username) };
}

/** Runs `change` on the freshly read user inside a write transaction; UserNotFound if it went away. */
function withCurrentUser<T>(ctx: ServiceContext, user: UserRecord, change: (current: UserRecord) => T): T {
  return writeTransaction(ctx.db, () => {
    const current = userByKey(ctx, user.poolId, user.usernameKey);
    if (!current) throw userNotFound();
    return change(current);
  });
}

function adminGetUser(input: Input, ctx: ServiceContext) {
  return getUserResponse(target(input, ctx).user);
}

function adminDeleteUser(input: Input, ctx: ServiceContext) {
  const { user } = target(input, ctx);
  writeTransaction(ctx.db, () => deleteUserRows(ctx, user));
  return {};
}

function adminDisableUser(input: Input, ctx: ServiceContext) {
  const { user } = target(input, ctx);
  setEnabled(ctx, user, false, ctx.now());
  return {};
}

function adminEnableUser(input: Input, ctx: ServiceContext) {
  const { user } = target(input, ctx);
  setEnabled(ctx, user, true, ctx.now());
  return {};
}

function adminUpdateUserAttributes(input: Input, ctx: ServiceContext) {
  const { pool, user } = target(input, ctx);
  if (input.UserAttributes === undefined || input.UserAttributes === null) {
    throw validationError('userAttributes', undefined, 'Member must not be null');
  }
  const changes = readAttributes(pool, input, 'UserAttributes');
  checkMutable(pool, user.attributes, changes.keys());
  const signInAttributes = [
    ...(pool.config.UsernameAttributes ?? []),
    ...(pool.config.AliasAttributes ?? []),
  ];
  const now = ctx.now();
  withCurrentUser(ctx, user, (current) => {
    const attributes = { ...current.attributes, ...Object.fromEntries(changes) };
    const email = changes.get('email');
    if (email !== undefined && email.toLowerCase() !== current.attributes.email?.toLowerCase()) {
      if (signInAttributes.includes('email') && userByEmail(ctx, pool, email, current.usernameKey)) {
        throw new CognitoError('AliasExistsException', 'An account with the given email already exists.');
      }
      // A new address is unverified unless the same request says otherwise.
      if (!changes.has('email_verified')) attributes.email_verified = 'false';
    }
    const phone = changes.get('phone_number');
    if (phone !== undefined && phone !== current.attributes.phone_number) {
      if (signInAttributes.includes('phone_number') && userByPhone(ctx, pool, phone, current.usernameKey)) {
        throw new CognitoError(
          'AliasExistsException',
          'An account with the given phone_number already exists.',
        );
      }
      if (!changes.has('phone_number_verified')) attributes.phone_number_verified = 'false';
    }
    saveAttributes(ctx, current, attributes, now);
  });
  return {};
}

function adminDeleteUserAttributes(input: Input, ctx: ServiceContext) {
  const { pool, user } = target(input, ctx);
  const names = optionalStringList(input, 'UserAttributeNames', { item: { min: 1, max: 32 } });
  if (!names) throw validationError('userAttributeNames', undefined, 'Member must not be null');
  if (names.includes('sub')) throw invalidParameter('Cannot modify the non-mutable attribute sub');
  checkMutable(pool, user.attributes, names);
  const now = ctx.now();
  withCurrentUser(ctx, user, (current) => {
    const attributes = { ...current.attributes };
    for (const name of names) delete attributes[name];
    checkRequiredAttributes(pool, new Map(Object.entries(attributes)));
    saveAttributes(ctx, current, attributes, now);
  });
  return {};
}

async function adminSetUserPassword(input: Input, ctx: ServiceContext) {
  const { pool, user } = target(input, ctx);
  const password = requiredString(input, 'Password', PASSWORD_RULES);
  const permanent = optionalBoolean(input, 'Permanent') ?? false;
  checkPassword(pool, password);
  const now = ctx.now();
  // Hashing happens outside the transaction (and off the event loop): scrypt is deliberately slow and
  // must not hold the lock; the user is re-read inside it.
  const change = permanent
    ? { status: 'CONFIRMED', hash: await hashPassword(password), expiresAt: null, now }
    : {
        status: 'FORCE_CHANGE_PASSWORD',
        hash: hashTemporaryPassword(password, ctx.pepper),
        expiresAt: temporaryPasswordExpiry(pool, now),
        now,
      };
  withCurrentUser(ctx, user, (current) => savePassword(ctx, current, change));
  return {};
}

function listUsers(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const limit = pageLimit(input, 'Limit');
  const filter = parseFilter(optionalString(input, 'Filter', { max: 256 }));
  const attributesToGet = optionalStringList(input, 'AttributesToGet', { item: { min: 1, max: 32 } });
  const page = listUserPage(ctx, pool, filter, limit, pageToken(input, 'PaginationToken'));
  return {
    Users: page.users.map((user) => userType(user, attributesToGet)),
    ...(page.nextToken ? { PaginationToken: page.nextToken } : {}),
  };
}

export const userOperations: Record<string, Operation> = {
  AdminCreateUser: adminCreateUser,
  AdminGetUser: adminGetUser,
  AdminDeleteUser: adminDeleteUser,
  AdminDisableUser: adminDisableUser,
  AdminEnableUser: adminEnableUser,
  AdminUpdateUserAttributes: adminUpdateUserAttributes,
  AdminDeleteUserAttributes: adminDeleteUserAttributes,
  AdminSetUserPassword: adminSetUserPassword,
  ListUsers: listUsers,
  ...groupOperations,
};
