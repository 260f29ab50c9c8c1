// Groups and membership: CreateGroup, GetGroup, UpdateGroup, ListGroups, DeleteGroup,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.
import type { Operation, ServiceContext } from '../context';
import { CognitoError, resourceNotFound } from '../errors';
import { decodePageToken, encodePageToken, pageLimit, pageToken } from '../paging';
import { stmt, writeTransaction } from '../sql';
import { getPool, type PoolRecord, requireUser, seconds, toUserRecord } from '../store';
import { userType } from '../user-records';
import {
  ARN_LENGTH,
  ARN_PATTERN,
  ARN_PATTERN_TEXT,
  type Input,
  NAME_PATTERN,
  NAME_PATTERN_TEXT,
  optionalInteger,
  optionalString,
  requiredString,
  userPoolIdOf,
} from '../validate';

interface GroupRow {
  pool_id: string;
  name: string;
  description: string | null;
  role_arn: string | null;
  precedence: number | null;
  created_at: number;
  updated_at: number;
}

const groupNameOf = (input: Input) =>
  requiredString(input, 'GroupName', {
    min: 1,
    max: 128,
    pattern: NAME_PATTERN,
    patternText: NAME_PATTERN_TEXT,
  });

function readGroupFields(input: Input) {
  return {
    description: optionalString(input, 'Description', { max: 2048 }) ?? null,
    roleArn:
      optionalString(input, 'RoleArn', {
        ...ARN_LENGTH,
        pattern: ARN_PATTERN,
        patternText: ARN_PATTERN_TEXT,
      }) ?? null,
    precedence: optionalInteger(input, 'Precedence', { min: 0, max: 2_147_483_647 }) ?? null,
  };
}

/** Cognito's GroupType; absent optional fields are left out, as Cognito does. */
function groupType(row: GroupRow) {
  return {
    GroupName: row.name,
    UserPoolId: row.pool_id,
    ...(row.description !== null ? { Description: row.description } : {}),
    ...(row.role_arn !== null ? { RoleArn: row.role_arn } : {}),
    ...(row.precedence !== null ? { Precedence: row.precedence } : {}),
    LastModifiedDate: seconds(row.updated_at),
    CreationDate: seconds(row.created_at),
  };
}

function findGroup(ctx: ServiceContext, pool: PoolRecord, name: string): GroupRow | undefined {
  return stmt(ctx.db, 'SELECT * FROM groups WHERE pool_id = ? AND name = ?').get(pool.id, name) as
    | GroupRow
    | undefined;
}

function requireGroup(ctx: ServiceContext, pool: PoolRecord, name: string): GroupRow {
  const group = findGroup(ctx, pool, name);
  if (!group) throw resourceNotFound('Group not found.');
  return group;
}

function createGroup(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const name = groupNameOf(input);
  const fields = readGroupFields(input);
  const now = ctx.now();
  writeTransaction(ctx.db, () => {
    if (findGroup(ctx, pool, name)) {
      throw new CognitoError('GroupExistsException', `A group with the name ${name} already exists.`);
    }
    stmt(
      ctx.db,
      `INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(pool.id, name, fields.description, fields.roleArn, fields.precedence, now, now);
  });
  return { Group: groupType(requireGroup(ctx, pool, name)) };
}

function getGroup(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  return { Group: groupType(requireGroup(ctx, pool, groupNameOf(input))) };
}

// Fields left out of the request return to their defaults (none), as Cognito documents for UpdateGroup.
function updateGroup(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const group = requireGroup(ctx, pool, groupNameOf(input));
  const fields = readGroupFields(input);
  stmt(
    ctx.db,
    'UPDATE groups SET description = ?, role_arn = ?, precedence = ?, updated_at = ? WHERE pool_id = ? AND name = ?',
  ).run(fields.description, fields.roleArn, fields.precedence, ctx.now(), pool.id, group.name);
  return { Group: groupType(requireGroup(ctx, pool, group.name)) };
}

function listGroups(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const limit = pageLimit(input, 'Limit');
  const token = pageToken(input, 'NextToken');
  const after = token === undefined ? '' : (decodePageToken(token, ['string'])[0] as string);
  const rows = stmt(ctx.db, 'SELECT * FROM groups WHERE pool_id = ? AND name > ? ORDER BY name LIMIT ?').all(
    pool.id,
    after,
    limit + 1,
  ) as GroupRow[];
  return page(rows, limit, (row) => [row.name], 'Groups', groupType);
}

function deleteGroup(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const group = requireGroup(ctx, pool, groupNameOf(input));
  // Memberships go with the group (foreign key cascade).
  stmt(ctx.db, 'DELETE FROM groups WHERE pool_id = ? AND name = ?').run(pool.id, group.name);
  return {};
}

function adminAddUserToGroup(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const user = requireUser(ctx, pool, input.Username);
  const group = requireGroup(ctx, pool, groupNameOf(input));
  stmt(
    ctx.db,
    'INSERT OR IGNORE INTO user_groups (pool_id, group_name, username_key, created_at) VALUES (?, ?, ?, ?)',
  ).run(pool.id, group.name, user.usernameKey, ctx.now());
  return {};
}

function adminRemoveUserFromGroup(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const user = requireUser(ctx, pool, input.Username);
  const group = requireGroup(ctx, pool, groupNameOf(input));
  stmt(ctx.db, 'DELETE FROM user_groups WHERE pool_id = ? AND group_name = ? AND username_key = ?').run(
    pool.id,
    group.name,
    user.usernameKey,
  );
  return {};
}

function adminListGroupsForUser(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const user = requireUser(ctx, pool, input.Username);
  const limit = pageLimit(input, 'Limit');
  const token = pageToken(input, 'NextToken');
  const after = token === undefined ? '' : (decodePageToken(token, ['string'])[0] as string);
  const rows = stmt(
    ctx.db,
    `SELECT g.* FROM user_groups ug JOIN groups g ON g.pool_id = ug.pool_id AND g.name = ug.group_name
     WHERE ug.pool_id = ? AND ug.username_key = ? AND ug.group_name > ?
     ORDER BY ug.group_name LIMIT ?`,
  ).all(pool.id, user.usernameKey, after, limit + 1) as GroupRow[];
  return page(rows, limit, (row) => [row.name], 'Groups', groupType);
}

function listUsersInGroup(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const group = requireGroup(ctx, pool, groupNameOf(input));
  const limit = pageLimit(input, 'Limit');
  const token = pageToken(input, 'NextToken');
  const after = token === undefined ? '' : (decodePageToken(token, ['string'])[0] as string);
  const rows = stmt(
    ctx.db,
    `SELECT u.* FROM user_groups ug JOIN users u ON u.pool_id = ug.pool_id AND u.username_key = ug.username_key
     WHERE ug.pool_id = ? AND ug.group_name = ? AND ug.username_key > ?
     ORDER BY ug.username_key LIMIT ?`,
  ).all(pool.id, group.name, after, limit + 1) as Parameters<typeof toUserRecord>[0][];
  return page(
    rows,
    limit,
    (row) => [row.username_key],
    'Users',
    (row) => userType(toUserRecord(row)),
  );
}

/** One page of `rows` (fetched with limit + 1) under `field`, with NextToken when more follow. */
function page<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => string[],
  field: string,
  shape: (row: Row) => Item,
) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    [field]: items.map(shape),
    ...(rows.length > limit && last ? { NextToken: encodePageToken(keyOf(last)) } : {}),
  };
}

export const groupOperations: Record<string, Operation> = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  UpdateGroup: updateGroup,
  ListGroups: listGroups,
  DeleteGroup: deleteGroup,
  AdminAddUserToGroup: adminAddUserToGroup,
  AdminRemoveUserFromGroup: adminRemoveUserFromGroup,
  AdminListGroupsForUser: adminListGroupsForUser,
  ListUsersInGroup: listUsersInGroup,
};
