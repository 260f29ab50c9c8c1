import { afterAll, beforeAll } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '@/server/storage/dynalite.fixture';
import { describeTeamLockContract } from './team-lock.contract';
import { createDynamoTeamLock } from './team-lock-dynamodb';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

let n = 0;
describeTeamLockContract('DynamoDB', async () => {
  const tableName = `locks-${++n}`;
  await dynamo.createTable(tableName);
  const open = () => createDynamoTeamLock({ client: dynamo.client(), tableName });
  return { lock: open(), another: async () => open(), close() {} };
});
