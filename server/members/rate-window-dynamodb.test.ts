import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '@/server/storage/dynalite.fixture';
import { itemKeys } from '@/server/storage/dynamodb-table';
import { describeRateWindowContract } from './rate-window.contract';
import { createDynamoRateWindows } from './rate-window-dynamodb';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

let n = 0;
describeRateWindowContract('DynamoDB', async () => {
  const tableName = `rates-${++n}`;
  await dynamo.createTable(tableName);
  const open = () => createDynamoRateWindows({ client: dynamo.client(), tableName });
  return { store: open(), another: async () => open(), close() {} };
});

it('keeps one item per window with its count, and a ttl an hour past its end', async () => {
  const store = createDynamoRateWindows({ client: dynamo.client(), tableName: dynamo.tableName });
  const t0 = Date.UTC(2030, 0, 1, 12);
  await store.take({ name: 'AdminCreateUser', limit: 5, windowMs: 1_000, now: t0 + 250 });
  await store.take({ name: 'AdminCreateUser', limit: 5, windowMs: 1_000, now: t0 + 750 });
  const { Item } = await DynamoDBDocumentClient.from(dynamo.client()).send(
    new GetCommand({
      TableName: dynamo.tableName,
      Key: itemKeys.rateWindow('AdminCreateUser', 1_000, t0),
      ConsistentRead: true,
    }),
  );
  expect(Item).toEqual({
    ...itemKeys.rateWindow('AdminCreateUser', 1_000, t0),
    count: 2,
    ttl: (t0 + 1_000 + 3_600_000) / 1000,
  });
});
