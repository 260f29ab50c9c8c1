import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '@/server/storage/dynalite.fixture';
import { describeSessionStoreContract } from './session-store.contract';
import { createDynamoSessionStore } from './session-store-dynamodb';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

let n = 0;
const freshTable = async () => {
  const tableName = `sessions-${++n}`;
  await dynamo.createTable(tableName);
  return tableName;
};

describeSessionStoreContract('DynamoDB', async () => {
  const store = createDynamoSessionStore({ client: dynamo.client(), tableName: await freshTable() });
  return { store, close() {} };
});

describe('DynamoDB session store', () => {
  it('shares its records with every instance on the table', async () => {
    const tableName = await freshTable();
    const one = createDynamoSessionStore({ client: dynamo.client(), tableName });
    const other = createDynamoSessionStore({ client: dynamo.client(), tableName });
    await one.create({ key: 'k1', sub: 's', username: 'u', createdAt: 1_000, expiresAt: 10_000 });
    await one.create({ key: 'k2', sub: 's', username: 'u', createdAt: 1_000, expiresAt: 10_000 });
    expect(await other.revoke('k1', 2_000)).toBe(true);
    expect((await one.get('k1'))?.revokedAt).toBe(2_000);
    expect(await other.revokeAllForMember('u', 3_000)).toBe(1);
    expect(await one.get('k2')).toMatchObject({ sub: 's', revokedAt: 3_000 });
  });

  it('a taken key refuses a second member and gives that member no hold on the first session', async () => {
    const store = createDynamoSessionStore({ client: dynamo.client(), tableName: await freshTable() });
    await store.create({ key: 'k', sub: 's1', username: 'first', createdAt: 1_000, expiresAt: 10_000 });
    await expect(
      store.create({ key: 'k', sub: 's2', username: 'second', createdAt: 1_000, expiresAt: 10_000 }),
    ).rejects.toThrow('already taken');
    expect(await store.revokeAllForMember('second', 2_000)).toBe(0);
    expect(await store.get('k')).toMatchObject({ username: 'first', revokedAt: null });
  });
});
