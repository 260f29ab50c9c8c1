// App clients: CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients,
// UpdateUserPoolClient, DeleteUserPoolClient.
import { CLIENT_NAME_RULES, readClientSettings, userPoolClientType } from '../client-config';
import type { Operation, ServiceContext } from '../context';
import { randomString } from '../crypto';
import { decodePageToken, encodePageToken, pageToken } from '../paging';
import { stmt, writeTransaction } from '../sql';
import { getClient, getPool } from '../store';
import {
  type Input,
  optionalBoolean,
  optionalInteger,
  optionalString,
  requiredString,
  userPoolIdOf,
} from '../validate';

const clientIdOf = (input: Input) =>
  requiredString(input, 'ClientId', { min: 1, max: 128, pattern: /^[\w+]+$/, patternText: '[\\w+]+' });

function createUserPoolClient(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const name = requiredString(input, 'ClientName', CLIENT_NAME_RULES);
  const config = readClientSettings(input);
  const secret = optionalBoolean(input, 'GenerateSecret') ? randomString(51) : null;
  const now = ctx.now();
  const clientId = writeTransaction(ctx.db, () => {
    for (;;) {
      const candidate = randomString(26);
      if (stmt(ctx.db, 'SELECT 1 FROM user_pool_clients WHERE client_id = ?').get(candidate)) continue;
      stmt(
        ctx.db,
        `INSERT INTO user_pool_clients (client_id, pool_id, name, config, client_secret, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(candidate, pool.id, name, JSON.stringify(config), secret, now, now);
      return candidate;
    }
  });
  return { UserPoolClient: userPoolClientType(getClient(ctx, clientId, pool.id)) };
}

function describeUserPoolClient(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  return { UserPoolClient: userPoolClientType(getClient(ctx, clientIdOf(input), pool.id)) };
}

function listUserPoolClients(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const maxResults = optionalInteger(input, 'MaxResults', { min: 1, max: 60 }) ?? 60;
  const token = pageToken(input, 'NextToken');
  const after = token === undefined ? '' : (decodePageToken(token, ['string'])[0] as string);
  const rows = stmt(
    ctx.db,
    'SELECT client_id, name FROM user_pool_clients WHERE pool_id = ? AND client_id > ? ORDER BY client_id LIMIT ?',
  ).all(pool.id, after, maxResults + 1) as { client_id: string; name: string }[];
  const page = rows.slice(0, maxResults);
  const last = page[page.length - 1];
  return {
    UserPoolClients: page.map((row) => ({
      ClientId: row.client_id,
      UserPoolId: pool.id,
      ClientName: row.name,
    })),
    ...(rows.length > maxResults && last ? { NextToken: encodePageToken([last.client_id]) } : {}),
  };
}

function updateUserPoolClient(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const client = getClient(ctx, clientIdOf(input), pool.id);
  const name = optionalString(input, 'ClientName', CLIENT_NAME_RULES) ?? client.name;
  const config = readClientSettings(input);
  stmt(ctx.db, 'UPDATE user_pool_clients SET name = ?, config = ?, updated_at = ? WHERE client_id = ?').run(
    name,
    JSON.stringify(config),
    ctx.now(),
    client.clientId,
  );
  return { UserPoolClient: userPoolClientType(getClient(ctx, client.clientId, pool.id)) };
}

function deleteUserPoolClient(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const client = getClient(ctx, clientIdOf(input), pool.id);
  writeTransaction(ctx.db, () => {
    // Sessions and refresh tokens of the client have no foreign key to it.
    stmt(ctx.db, 'DELETE FROM auth_sessions WHERE client_id = ?').run(client.clientId);
    stmt(ctx.db, 'DELETE FROM refresh_tokens WHERE client_id = ?').run(client.clientId);
    stmt(ctx.db, 'DELETE FROM user_pool_clients WHERE client_id = ?').run(client.clientId);
  });
  return {};
}

export const clientOperations: Record<string, Operation> = {
  CreateUserPoolClient: createUserPoolClient,
  DescribeUserPoolClient: describeUserPoolClient,
  ListUserPoolClients: listUserPoolClients,
  UpdateUserPoolClient: updateUserPoolClient,
  DeleteUserPoolClient: deleteUserPoolClient,
};
