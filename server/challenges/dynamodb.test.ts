import { afterAll, beforeAll } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '@/server/storage/dynalite.fixture';
import { describeChallengeStoreContract } from './challenge-store.contract';
import { createDynamoChallengeStore } from './dynamodb';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

let n = 0;
describeChallengeStoreContract('DynamoDB', async () => {
  // One table per test, so each starts empty; every instance has its own client.
  const tableName = `challenges-${++n}`;
  await dynamo.createTable(tableName);
  const open = () => createDynamoChallengeStore({ client: dynamo.client(), tableName });
  return { store: open(), another: async () => open(), close() {} };
});
