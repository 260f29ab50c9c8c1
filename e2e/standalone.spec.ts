// The console as a plain Next.js server: the build's .next/standalone, copied away from the project
// (so nothing resolves from its node_modules) with .next/static beside it, as README "Run on AWS" says,
// started with `node server.js`. No identity service runs for it, so health says unavailable.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../scripts/free-port';

const ROOT = path.resolve(__dirname, '..');

function rawGet(port: number, urlPath: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, headers: { Host: host }, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

let dir: string;
let server: ChildProcess | undefined;
let port: number;
let output = '';

test.beforeAll(async () => {
  // The webServer of this config has built the console (`npm start` runs `next build` when stale).
  const standalone = path.join(ROOT, '.next', 'standalone');
  expect(
    fs.existsSync(path.join(standalone, 'server.js')),
    'next build wrote .next/standalone/server.js',
  ).toBe(true);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-standalone-'));
  fs.cpSync(standalone, dir, { recursive: true });
  fs.cpSync(path.join(ROOT, '.next', 'static'), path.join(dir, '.next', 'static'), { recursive: true });
  port = await freePort();
  const nobody = await freePort();
  server = spawn(process.execPath, ['server.js'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOSTNAME: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      DATA_DIR: path.join(dir, 'data'),
      IDENTITY_BACKEND: 'local',
      // Nothing listens there: the console is up, its identity backend is not.
      COGNITO_LOCAL_PORT: String(nobody),
      SMTP_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  server.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await expect
    .poll(
      async () => {
        if (server?.exitCode !== null) throw new Error(`server.js exited: ${output}`);
        return rawGet(port, '/api/health', `localhost:${port}`).then(
          (response) => response.status,
          () => 0,
        );
      },
      { timeout: 30_000 },
    )
    .not.toBe(0);
});

test.afterAll(() => {
  server?.kill();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('answers health from a copy of .next/standalone: unavailable without an identity backend', async () => {
  const health = await rawGet(port, '/api/health', `localhost:${port}`);
  expect(health.status).toBe(503);
  expect(JSON.parse(health.body)).toEqual({ status: 'unavailable' });
});

test('refuses a request that names a foreign host; the health check answers under any', async () => {
  const refused = await rawGet(port, '/login', 'studio.attacker.example');
  expect(refused.status).toBe(421);
  expect(refused.body).toContain(`answers only as http://localhost:${port}`);
  // A load balancer's health check names the instance's own address.
  const health = await rawGet(port, '/api/health', '10.0.3.17');
  expect(health.status).toBe(503);
  expect(JSON.parse(health.body)).toEqual({ status: 'unavailable' });
});

test('serves the sign-in page with its styles and scripts', async ({ page }) => {
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/_next/static/') && !response.ok()) failed.push(response.url());
  });
  await page.goto(`http://localhost:${port}/login`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const stylesheet = await page.locator('link[rel="stylesheet"]').first().getAttribute('href');
  expect(stylesheet).toMatch(/^\/_next\/static\//);
  expect(failed).toEqual([]);
});

test('carries better-sqlite3 with its native binary, for local mode', () => {
  // Resolved from the copy's own node_modules: the project's are not on the path from there.
  const script =
    "const Database = require('better-sqlite3'); process.stdout.write(String(new Database(':memory:').prepare('select 41 + 1 as n').get().n))";
  expect(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' }).trim()).toBe('42');
});
