// Identity pools: CreateIdentityPool, DescribeIdentityPool, ListIdentityPools, UpdateIdentityPool,
// DeleteIdentityPool.
import type { Operation, ServiceContext } from '../context';
import { uuid } from '../crypto';
import { decodePageToken, encodePageToken, pageToken } from '../paging';
import { stmt } from '../sql';
import { type Input, optionalInteger, validationError } from '../validate';
import { getIdentityPool, identityPoolIdOf, identityPoolType } from './pool-records';
import { readIdentityPoolSettings } from './pool-settings';

function createIdentityPool(input: Input, ctx: ServiceContext) {
  const { name, config } = readIdentityPoolSettings(input);
  const id = `${ctx.region}:${uuid()}`;
  const now = ctx.now();
  stmt(
    ctx.db,
    'INSERT INTO identity_pools (id, name, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  ).run(id, name, JSON.stringify(config), now, now);
  return identityPoolType(getIdentityPool(ctx, id));
}

function describeIdentityPool(input: Input, ctx: ServiceContext) {
  return identityPoolType(getIdentityPool(ctx, identityPoolIdOf(input)));
}

// Pages in creation order: the API returns no dates, so the order is what tells a caller which of
// several pools with one name came first.
function listIdentityPools(input: Input, ctx: ServiceContext) {
  const maxResults = optionalInteger(input, 'MaxResults', { min: 1, max: 60 });
  if (maxResults === undefined) throw validationError('maxResults', undefined, 'Member must not be null');
  const token = pageToken(input, 'NextToken');
  const [afterTime, afterId] =
    token === undefined ? [-1, ''] : (decodePageToken(token, ['number', 'string']) as [number, string]);
  const rows = stmt(
    ctx.db,
    `SELECT id, name, created_at FROM identity_pools
     WHERE created_at > ? OR (created_at = ? AND id > ?)
     ORDER BY created_at, id LIMIT ?`,
  ).all(afterTime, afterTime, afterId, maxResults + 1) as { id: string; name: string; created_at: number }[];
  const page = rows.slice(0, maxResults);
  const last = page[page.length - 1];
  return {
    IdentityPools: page.map((row) => ({ IdentityPoolId: row.id, IdentityPoolName: row.name })),
    ...(rows.length > maxResults && last ? { NextToken: encodePageToken([last.created_at, last.id]) } : {}),
  };
}

function updateIdentityPool(input: Input, ctx: ServiceContext) {
  const pool = getIdentityPool(ctx, identityPoolIdOf(input));
  const { name, config } = readIdentityPoolSettings(input);
  stmt(ctx.db, 'UPDATE identity_pools SET name = ?, config = ?, updated_at = ? WHERE id = ?').run(
    name,
    JSON.stringify(config),
    ctx.now(),
    pool.id,
  );
  return identityPoolType(getIdentityPool(ctx, pool.id));
}

function deleteIdentityPool(input: Input, ctx: ServiceContext) {
  const pool = getIdentityPool(ctx, identityPoolIdOf(input));
  // Identities and their logins cascade. Credentials already issued stay valid until they expire, as
  // STS credentials do when an identity pool is deleted.
  stmt(ctx.db, 'DELETE FROM identity_pools WHERE id = ?').run(pool.id);
  return {};
}

export const identityPoolOperations: Record<string, Operation> = {
  CreateIdentityPool: createIdentityPool,
  DescribeIdentityPool: describeIdentityPool,
  ListIdentityPools: listIdentityPools,
  UpdateIdentityPool: updateIdentityPool,
  DeleteIdentityPool: deleteIdentityPool,
};
