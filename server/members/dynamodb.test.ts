import { afterAll, beforeAll } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '@/server/storage/dynalite.fixture';
import { createDynamoMemberStores } from './dynamodb';
import { describeMemberStoresContract } from './member-stores.contract';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

let n = 0;
describeMemberStoresContract('DynamoDB', async () => {
  const tableName = `members-${++n}`;
  await dynamo.createTable(tableName);
  const open = () => createDynamoMemberStores({ client: dynamo.client(), tableName });
  return { stores: open(), another: async () => open(), close() {} };
});
