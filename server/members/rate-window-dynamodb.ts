import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { checkTableName, isConditionFailed, itemKeys, ttlSeconds } from '@/server/storage/dynamodb-table';
import type { RateWindowStore } from './rate-window';
import { checkRateWindowRequest, KEEP_WINDOW_MS, windowFull, windowStart } from './rate-window-rules';

// Shared rate windows on the studio table: one item per name and window, RATE#<name>#<windowMs> /
// <window start>, counted up by one conditional update (`count < limit`; dynalite has no
// transactions and none is needed), so of any number of instances no more than `limit` takes land
// in one window. A take only ever touches the item of its own window, so a window that is over is
// never read again; `ttl` only clears old items away.

export function createDynamoRateWindows(options: {
  client: DynamoDBClient;
  tableName: string;
}): RateWindowStore {
  const db = DynamoDBDocumentClient.from(options.client);
  const TableName = checkTableName(options.tableName);

  return {
    async take(request) {
      checkRateWindowRequest(request);
      const start = windowStart(request);
      try {
        await db.send(
          new UpdateCommand({
            TableName,
            Key: itemKeys.rateWindow(request.name, request.windowMs, start),
            UpdateExpression: 'SET #ttl = :ttl ADD #count :one',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': request.limit,
              ':ttl': ttlSeconds(start + request.windowMs + KEEP_WINDOW_MS),
            },
          }),
        );
        return { taken: true };
      } catch (error) {
        if (isConditionFailed(error)) return windowFull(request);
        throw error;
      }
    },
  };
}
