import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  checkTableName,
  isConditionFailed,
  itemKeys,
  sortableMs,
  ttlSeconds,
} from '@/server/storage/dynamodb-table';
import type { SessionRecord, SessionStore } from './session-store';

// The session records on the studio table (AWS mode). Each session is one item, SESSION#<key>; beside
// it the member's index item MEMBER_SESSIONS#<username> / <key>, on the base table so "sign out
// everywhere" reads it strongly consistent and misses no session just created. The index item is
// written first: a session never exists without it. Pruning queries gsi1 (SESSION_EXPIRY, by end);
// `ttl` also clears records away, and the callers check expiresAt whatever the table holds.

interface SessionItem {
  sub: string;
  username: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  revokedAt?: number;
}

export function createDynamoSessionStore(options: {
  client: DynamoDBClient;
  tableName: string;
}): SessionStore {
  const db = DynamoDBDocumentClient.from(options.client);
  const TableName = checkTableName(options.tableName);
  const indexKey = (username: string, key: string) => ({ pk: itemKeys.memberSessionsPk(username), sk: key });

  /** Ends the session under `key` if it is live (and, when given, belongs to `username`). */
  async function end(key: string, at: number, username?: string): Promise<boolean> {
    try {
      await db.send(
        new UpdateCommand({
          TableName,
          Key: itemKeys.session(key),
          UpdateExpression: 'SET revokedAt = :at',
          ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(revokedAt)${username === undefined ? '' : ' AND username = :u'}`,
          ExpressionAttributeValues: { ':at': at, ...(username === undefined ? {} : { ':u': username }) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  return {
    async create(record) {
      const ttl = ttlSeconds(record.expiresAt);
      await db.send(new PutCommand({ TableName, Item: { ...indexKey(record.username, record.key), ttl } }));
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: {
              ...itemKeys.session(record.key),
              sub: record.sub,
              username: record.username,
              createdAt: record.createdAt,
              lastSeenAt: record.createdAt,
              expiresAt: record.expiresAt,
              ttl,
              gsi1pk: itemKeys.sessionExpiryPk,
              gsi1sk: `${sortableMs(record.expiresAt)}#${record.key}`,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (isConditionFailed(error)) {
          // The key is taken by someone else's session: take back the index item just written (it
          // could only ever end that session for its own member, see `end`).
          await db.send(new DeleteCommand({ TableName, Key: indexKey(record.username, record.key) }));
          throw new Error('session store: the session key is already taken');
        }
        throw error;
      }
    },

    async get(key) {
      const { Item } = await db.send(
        new GetCommand({ TableName, Key: itemKeys.session(key), ConsistentRead: true }),
      );
      if (!Item) return null;
      const item = Item as SessionItem;
      const record: SessionRecord = {
        key,
        sub: item.sub,
        username: item.username,
        createdAt: item.createdAt,
        lastSeenAt: item.lastSeenAt,
        expiresAt: item.expiresAt,
        revokedAt: item.revokedAt ?? null,
      };
      return record;
    },

    async touch(key, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: itemKeys.session(key),
            UpdateExpression: 'SET lastSeenAt = :at',
            ConditionExpression:
              'attribute_exists(pk) AND attribute_not_exists(revokedAt) AND lastSeenAt < :at',
            ExpressionAttributeValues: { ':at': at },
          }),
        );
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
    },

    revoke: (key, at) => end(key, at),

    async revokeAllForMember(username, at) {
      let ended = 0;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': itemKeys.memberSessionsPk(username) },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          if (await end(String(item.sk), at, username)) ended++;
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return ended;
    },

    async pruneExpired(now) {
      let pruned = 0;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :end',
            // '#' < '$': every "<expiresAt ≤ now>#<key>" sorts below "<now>$", every later one above.
            ExpressionAttributeValues: { ':p': itemKeys.sessionExpiryPk, ':end': `${sortableMs(now)}$` },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const key = String(item.pk).slice('SESSION#'.length);
          try {
            await db.send(
              new DeleteCommand({
                TableName,
                Key: itemKeys.session(key),
                ConditionExpression: 'expiresAt <= :now',
                ExpressionAttributeValues: { ':now': now },
              }),
            );
            pruned++;
          } catch (error) {
            if (!isConditionFailed(error)) throw error;
          }
          await db.send(new DeleteCommand({ TableName, Key: indexKey(String(item.username), key) }));
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return pruned;
    },
  };
}
