// The service's optional latency (`npm run aws:local -- --cognito-latency <ms>`): every answer comes
// that much later, as from a Cognito region away, and nothing else changes.
import fs from 'node:fs';
import { CreateUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalCognito, startLocalCognito } from './server';
import { makeTempDir, sdkClient } from './test-support';

const opened: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

function tempDir(): string {
  const dir = makeTempDir();
  opened.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, latencyMs: number): Promise<LocalCognito> {
  const service = await startLocalCognito({ dataDir, port: 0, latencyMs, log: () => {} });
  opened.push(() => service.close());
  return service;
}

function client(service: LocalCognito) {
  const c = sdkClient(service.url);
  opened.push(() => c.destroy());
  return c;
}

describe('latency', () => {
  it('answers every request at least latencyMs later, with the same answer', async () => {
    const service = await start(tempDir(), 150);
    const cognito = client(service);
    let started = performance.now();
    const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: 'far-away' }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    started = performance.now();
    const { UserPools } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(UserPools?.map((pool) => pool.Id)).toEqual([UserPool?.Id]);
  });

  it('refuses a latency that is not a whole number of ms', async () => {
    await expect(startLocalCognito({ dataDir: tempDir(), port: 0, latencyMs: -1 })).rejects.toThrow(
      'latencyMs must be a whole number of ms, 0 or more',
    );
  });
});
