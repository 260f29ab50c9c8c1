// User pools (CreateUserPool, DescribeUserPool, ListUserPools, UpdateUserPool, DeleteUserPool) and,
// from ./clients, their app clients.
import type { Operation, ServiceContext } from '../context';
import { randomString } from '../crypto';
import { invalidParameter } from '../errors';
import { decodePageToken, encodePageToken, pageToken } from '../paging';
import {
  POOL_NAME_RULES,
  readCreateOnlySettings,
  readUpdatableSettings,
  userPoolDescription,
  userPoolType,
} from '../pool-config';
import { stmt, writeTransaction } from '../sql';
import { getPool, type PoolRecord } from '../store';
import {
  type Input,
  optionalInteger,
  optionalString,
  requiredString,
  userPoolIdOf,
  validationError,
} from '../validate';
import { clientOperations } from './clients';

const POOL_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function countUsers(ctx: ServiceContext, poolId: string): number {
  return (stmt(ctx.db, 'SELECT count(*) AS n FROM users WHERE pool_id = ?').get(poolId) as { n: number }).n;
}

function createUserPool(input: Input, ctx: ServiceContext) {
  const name = requiredString(input, 'PoolName', POOL_NAME_RULES);
  const config = { ...readCreateOnlySettings(input), ...readUpdatableSettings(input) };
  const now = ctx.now();
  const id = writeTransaction(ctx.db, () => {
    for (;;) {
      const candidate = `${ctx.region}_${randomString(9, POOL_ID_ALPHABET)}`;
      const taken = stmt(ctx.db, 'SELECT 1 FROM user_pools WHERE id = ?').get(candidate);
      if (taken) continue;
      stmt(
        ctx.db,
        'INSERT INTO user_pools (id, name, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      ).run(candidate, name, JSON.stringify(config), now, now);
      return candidate;
    }
  });
  return { UserPool: userPoolType(getPool(ctx, id), 0) };
}

function describeUserPool(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  return { UserPool: userPoolType(pool, countUsers(ctx, pool.id)) };
}

function listUserPools(input: Input, ctx: ServiceContext) {
  const maxResults = optionalInteger(input, 'MaxResults', { min: 1, max: 60 });
  if (maxResults === undefined) throw validationError('maxResults', undefined, 'Member must not be null');
  const token = pageToken(input, 'NextToken');
  const after = token === undefined ? '' : (decodePageToken(token, ['string'])[0] as string);
  const rows = stmt(ctx.db, 'SELECT id FROM user_pools WHERE id > ? ORDER BY id LIMIT ?').all(
    after,
    maxResults + 1,
  ) as { id: string }[];
  const page = rows.slice(0, maxResults);
  const last = page[page.length - 1];
  return {
    UserPools: page.map((row) => userPoolDescription(getPool(ctx, row.id))),
    ...(rows.length > maxResults && last ? { NextToken: encodePageToken([last.id]) } : {}),
  };
}

function updateUserPool(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const name = optionalString(input, 'PoolName', POOL_NAME_RULES) ?? pool.name;
  const config = { ...keepCreateOnly(pool), ...readUpdatableSettings(input) };
  stmt(ctx.db, 'UPDATE user_pools SET name = ?, config = ?, updated_at = ? WHERE id = ?').run(
    name,
    JSON.stringify(config),
    ctx.now(),
    pool.id,
  );
  return {};
}

/** The settings UpdateUserPool cannot change. */
function keepCreateOnly(pool: PoolRecord) {
  const { UsernameAttributes, AliasAttributes, UsernameConfiguration, Schema } = pool.config;
  return {
    ...(UsernameAttributes ? { UsernameAttributes } : {}),
    ...(AliasAttributes ? { AliasAttributes } : {}),
    ...(UsernameConfiguration ? { UsernameConfiguration } : {}),
    ...(Schema ? { Schema } : {}),
  };
}

function deleteUserPool(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  if (pool.config.DeletionProtection === 'ACTIVE') {
    throw invalidParameter('The user pool cannot be deleted because deletion protection is activated.');
  }
  writeTransaction(ctx.db, () => {
    // Sessions and refresh tokens have no foreign key to the pool; clients, groups and users cascade.
    stmt(ctx.db, 'DELETE FROM auth_sessions WHERE pool_id = ?').run(pool.id);
    stmt(ctx.db, 'DELETE FROM refresh_tokens WHERE pool_id = ?').run(pool.id);
    stmt(ctx.db, 'DELETE FROM user_pools WHERE id = ?').run(pool.id);
  });
  return {};
}

export const poolOperations: Record<string, Operation> = {
  CreateUserPool: createUserPool,
  DescribeUserPool: describeUserPool,
  ListUserPools: listUserPools,
  UpdateUserPool: updateUserPool,
  DeleteUserPool: deleteUserPool,
  ...clientOperations,
};
