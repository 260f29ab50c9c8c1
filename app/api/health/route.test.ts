import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Anyone may call /api/health: when the identity backend is down, the answer says so and nothing else
// (no error text, host names or ports for a stranger to learn from).

let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-test-'));
  // A port nothing listens on: the embedded service is "down".
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  vi.stubEnv('DATA_DIR', dataDir);
  vi.stubEnv('COGNITO_LOCAL_PORT', String(port));
  vi.stubEnv('IDENTITY_BACKEND', 'local');
});

afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('GET /api/health', () => {
  it('answers 503 {"status":"unavailable"} without internals when the identity service is down', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { GET } = await import('./route');
    const response = await GET();
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(await response.text()).toBe('{"status":"unavailable"}');
    // The reason goes to the operator's log instead.
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^health: identity backend unavailable: /));
    warn.mockRestore();
  });
});
