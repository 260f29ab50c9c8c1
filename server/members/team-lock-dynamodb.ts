import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { checkTableName, isConditionFailed, itemKeys, ttlSeconds } from '@/server/storage/dynamodb-table';
import type { TeamLock } from './team-lock';
import { checkLeaseRequest } from './team-lock-rules';

// The team lock on the studio table: one item per lock, LOCK#<name>, taken, extended and given up by
// conditional writes, so of any number of instances at most one holds an unexpired lease. Expiry is
// checked in the conditions (the callers' clocks); `ttl` only clears old items away.

const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

export function createDynamoTeamLock(options: { client: DynamoDBClient; tableName: string }): TeamLock {
  const db = DynamoDBDocumentClient.from(options.client);
  const TableName = checkTableName(options.tableName);

  return {
    async acquire(request) {
      checkLeaseRequest(request);
      const expiresAt = request.now + request.ttlMs;
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: {
              ...itemKeys.lock(request.name),
              holder: request.owner,
              expiresAt,
              ttl: ttlSeconds(expiresAt + KEEP_AFTER_EXPIRY_MS),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now OR holder = :owner',
            ExpressionAttributeValues: { ':now': request.now, ':owner': request.owner },
          }),
        );
        return { acquired: true, expiresAt };
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
      const { Item } = await db.send(
        new GetCommand({ TableName, Key: itemKeys.lock(request.name), ConsistentRead: true }),
      );
      const heldUntil = typeof Item?.expiresAt === 'number' ? Item.expiresAt : request.now;
      return { acquired: false, retryAfterMs: Math.max(0, heldUntil - request.now) };
    },

    async renew(request) {
      checkLeaseRequest(request);
      const expiresAt = request.now + request.ttlMs;
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: itemKeys.lock(request.name),
            UpdateExpression: 'SET expiresAt = :x, #ttl = :ttl',
            ConditionExpression: 'holder = :owner AND expiresAt > :now',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':x': expiresAt,
              ':ttl': ttlSeconds(expiresAt + KEEP_AFTER_EXPIRY_MS),
              ':owner': request.owner,
              ':now': request.now,
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },

    async release(request) {
      try {
        await db.send(
          new DeleteCommand({
            TableName,
            Key: itemKeys.lock(request.name),
            ConditionExpression: 'holder = :owner',
            ExpressionAttributeValues: { ':owner': request.owner },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
  };
}
