import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, startLocalDynamo } from '@/server/storage/dynalite.fixture';
import { describeChallengeStoreContract } from './challenge-store.contract';
import { createDynamoChallengeStore } from './dynamodb';
import { hashSecret, issueSignInLink, MIN_SEND_INTERVAL_MS } from './links';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(() => dynamo.close());

let n = 0;
const freshTable = async () => {
  // One table per test, so each starts empty; every instance has its own client.
  const tableName = `challenges-${++n}`;
  await dynamo.createTable(tableName);
  return tableName;
};

describeChallengeStoreContract('DynamoDB', async () => {
  const tableName = await freshTable();
  const open = () => createDynamoChallengeStore({ client: dynamo.client(), tableName });
  return { store: open(), another: async () => open(), close() {} };
});

describe('DynamoDB challenge store', () => {
  it('after a put cut short between its writes, the next put leaves exactly one live link', async () => {
    const client = dynamo.client();
    let failNextRetire = false;
    client.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { UpdateExpression?: string };
        if (failNextRetire && input.UpdateExpression?.includes('replacedAt')) {
          failNextRetire = false;
          throw new Error('socket hang up');
        }
        return next(args);
      },
      { step: 'initialize', name: 'cutShort' },
    );
    const store = createDynamoChallengeStore({ client, tableName: await freshTable() });
    const member = { username: 'ana-id', email: 'ana@example.com' };
    const T0 = Date.UTC(2030, 0, 1, 12);
    const issue = (now: number) => issueSignInLink(store, member, { publicUrl: 'https://s.example', now });

    const first = hashSecret((await issue(T0))!.secret);
    failNextRetire = true;
    await expect(issue(T0 + MIN_SEND_INTERVAL_MS)).rejects.toThrow('socket hang up');
    // Nothing was sent for the failed put; the earlier link still works until a newer one lands.
    expect((await store.inspect(first, T0 + MIN_SEND_INTERVAL_MS)).state).toBe('valid');

    const third = hashSecret((await issue(T0 + 2 * MIN_SEND_INTERVAL_MS))!.secret);
    const now = T0 + 2 * MIN_SEND_INTERVAL_MS;
    expect(await store.consume(first, member.username, now)).toEqual({ consumed: false, reason: 'replaced' });
    expect(await store.consume(third, member.username, now)).toMatchObject({ consumed: true });
  });
});
