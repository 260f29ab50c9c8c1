import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoChallengeStore } from '@/server/challenges/dynamodb';
import { hashSecret, newSecret } from '@/server/challenges/links';
import { type Env, loadEnv } from '@/server/env';
import { type LocalDynamo, startLocalDynamo } from '@/server/storage/dynalite.fixture';
import { openStores } from './runtime';

// The wiring in AWS mode, against a real local DynamoDB: the stores it picks talk to STUDIO_TABLE on
// the endpoint the SDK's own AWS_ENDPOINT_URL_DYNAMODB names (the console has no endpoint setting).

const SDK_VARIABLES = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;
const saved = Object.fromEntries(SDK_VARIABLES.map((name) => [name, process.env[name]]));

let dynamo: LocalDynamo;
let env: Env;
beforeAll(async () => {
  dynamo = await startLocalDynamo('studio-runtime');
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  env = loadEnv({
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-test-')),
    IDENTITY_BACKEND: 'aws',
    AWS_REGION: 'us-east-1',
    STUDIO_TABLE: dynamo.tableName,
    MAIL_FROM: 'Studio <studio@example.com>',
    SESSION_SECRET: Buffer.alloc(32, 5).toString('base64'),
    PUBLIC_URL: 'https://studio.example.com',
    USER_POOL_ID: 'us-east-1_AbC123xyz',
  });
});
afterAll(async () => {
  for (const name of SDK_VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await dynamo.close();
});

describe('openStores in aws mode', () => {
  it('keeps sign-in links in STUDIO_TABLE: put on one instance, consumed once on another', async () => {
    const stores = openStores(env);
    try {
      const secretHash = hashSecret(newSecret());
      const now = Date.now();
      const put = await stores.challenges().put(
        {
          secretHash,
          username: 'ana',
          email: 'ana@example.com',
          createdAt: now,
          expiresAt: now + 60_000,
          channel: 'email',
        },
        { minIntervalMs: 60_000 },
      );
      expect(put).toEqual({ stored: true });

      // Another instance reading the same table directly: the link is there, and spent once.
      const other = createDynamoChallengeStore({ client: dynamo.client(), tableName: dynamo.tableName });
      expect(await other.inspect(secretHash, now + 1)).toMatchObject({ state: 'valid', username: 'ana' });
      expect(await stores.challenges().consume(secretHash, 'ana', now + 2)).toEqual({
        consumed: true,
        username: 'ana',
        email: 'ana@example.com',
      });
      expect(await other.consume(secretHash, 'ana', now + 3)).toEqual({ consumed: false, reason: 'used' });
    } finally {
      stores.close();
    }
  });

  it('keeps sessions in STUDIO_TABLE, shared by every instance', async () => {
    const first = openStores(env);
    const second = openStores(env);
    try {
      const now = Date.now();
      await first.sessions().create({
        key: 'session-key',
        sub: 'sub-1',
        username: 'ana',
        createdAt: now,
        expiresAt: now + 60_000,
      });
      expect(await second.sessions().get('session-key')).toMatchObject({
        sub: 'sub-1',
        username: 'ana',
        revokedAt: null,
      });
      expect(await second.sessions().revoke('session-key', now + 1)).toBe(true);
      expect((await first.sessions().get('session-key'))?.revokedAt).toBe(now + 1);
    } finally {
      first.close();
      second.close();
    }
  });

  it('keeps the activity log and the team lock in STUDIO_TABLE', async () => {
    const first = openStores(env);
    const second = openStores(env);
    try {
      await first.members().activity.record({
        actorEmail: 'ana@example.com',
        action: 'invite',
        targetEmail: 'bo@example.com',
        detail: 'Manage only',
        outcome: 'success',
        message: null,
      });
      const { entries } = await second.members().activity.list({ limit: 10 });
      expect(entries.map((entry) => entry.targetEmail)).toContain('bo@example.com');

      const now = Date.now();
      const lease = { name: 'team', now, ttlMs: 10_000 };
      expect(await first.teamLock().acquire({ ...lease, owner: 'a' })).toMatchObject({ acquired: true });
      expect(await second.teamLock().acquire({ ...lease, owner: 'b' })).toMatchObject({ acquired: false });
    } finally {
      first.close();
      second.close();
    }
  });

  it('keeps the shared rate windows (the pace of AdminCreateUser) in STUDIO_TABLE', async () => {
    const first = openStores(env);
    const second = openStores(env);
    try {
      const take = { name: 'runtime-test', limit: 2, windowMs: 1_000, now: Date.UTC(2030, 0, 1) };
      expect(await first.rateWindows().take(take)).toEqual({ taken: true });
      expect(await second.rateWindows().take(take)).toEqual({ taken: true });
      expect(await first.rateWindows().take(take)).toEqual({ taken: false, retryAfterMs: 1_000 });
    } finally {
      first.close();
      second.close();
    }
  });
});

describe('openStores in local mode', () => {
  it('shares the rate windows between the processes on one DATA_DIR (studio.sqlite)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-local-'));
    const local = loadEnv({ DATA_DIR: dataDir, IDENTITY_BACKEND: 'local' });
    const first = openStores(local);
    const second = openStores(local);
    try {
      const take = { name: 'runtime-test', limit: 1, windowMs: 1_000, now: Date.UTC(2030, 0, 1) };
      expect(await first.rateWindows().take(take)).toEqual({ taken: true });
      expect(await second.rateWindows().take(take)).toEqual({ taken: false, retryAfterMs: 1_000 });
      expect(fs.existsSync(path.join(dataDir, 'studio.sqlite'))).toBe(true);
    } finally {
      first.close();
      second.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
