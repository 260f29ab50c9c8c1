import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GET as health } from '@/app/api/health/route';
import { getEnv } from '@/server/env';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import { checkIdentityBackend, getCognitoClient, getPoolInfo } from './client';
import { provision } from './provision';

// The health check as the console runs it: configuration from the environment, pool found by name.
let service: LocalCognito;
const saved = { ...process.env };

beforeAll(async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'client-test-'));
  service = await startLocalCognito({ dataDir, port: 0, log: () => {} });
  process.env.DATA_DIR = dataDir;
  process.env.COGNITO_LOCAL_PORT = String(service.port);
  process.env.IDENTITY_BACKEND = 'local';
  process.env.USER_POOL_ID = '';
});

afterAll(async () => {
  await service.close();
  for (const name of ['DATA_DIR', 'COGNITO_LOCAL_PORT', 'IDENTITY_BACKEND', 'USER_POOL_ID']) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

async function healthAnswer() {
  const response = await health();
  return {
    status: response.status,
    body: await response.json(),
    cacheControl: response.headers.get('cache-control'),
  };
}

describe('checkIdentityBackend and GET /api/health', () => {
  it('is unavailable until the pool exists, then ok, then unavailable when the service stops', async () => {
    expect(await checkIdentityBackend()).toEqual({
      ok: false,
      reason: `User pool amplify_backend_manager_${getEnv().appId} does not exist`,
    });
    // Anyone may call /api/health: the answer says "unavailable" and nothing else; why goes to the log.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await healthAnswer()).toEqual({
      status: 503,
      body: { status: 'unavailable' },
      cacheControl: 'no-store',
    });
    expect(warn).toHaveBeenLastCalledWith(
      `health: identity backend unavailable: User pool amplify_backend_manager_${getEnv().appId} does not exist`,
    );

    const provisioned = await provision(getCognitoClient(), getEnv());
    expect(await checkIdentityBackend()).toEqual({ ok: true, poolId: provisioned.poolId });
    expect(await healthAnswer()).toEqual({ status: 200, body: { status: 'ok' }, cacheControl: 'no-store' });
    expect(await getPoolInfo()).toEqual({
      poolId: provisioned.poolId,
      clientId: provisioned.clientId,
      poolArn: provisioned.poolArn,
    });

    await service.close();
    const started = Date.now();
    expect(await checkIdentityBackend(1_000)).toEqual({
      ok: false,
      reason: 'The identity service is not answering.',
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await healthAnswer()).toEqual({
      status: 503,
      body: { status: 'unavailable' },
      cacheControl: 'no-store',
    });
    expect(warn).toHaveBeenLastCalledWith(
      'health: identity backend unavailable: The identity service is not answering.',
    );
    warn.mockRestore();
    // Restart on the same port and data: healthy again without a restart of the console.
    service = await startLocalCognito({
      dataDir: getEnv().dataDir,
      port: getEnv().cognitoLocalPort,
      log: () => {},
    });
    expect(await checkIdentityBackend()).toEqual({ ok: true, poolId: provisioned.poolId });
    expect((await healthAnswer()).status).toBe(200);
  });
});
