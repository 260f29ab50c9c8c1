// Disabling Studio from the command line while the console runs, on a console of its own (its own data
// directory and ports, so the other specs' console keeps its pool): the sign-in and console pages say
// Studio is disabled; a restart does not quietly make an empty pool; enable brings sign-in back.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { runScript } from '../scripts/cli.fixture';
import { freePort } from '../scripts/free-port';

const ROOT = path.resolve(__dirname, '..');

let dataDir: string;
let vars: Record<string, string>;
let origin: string;
let consoleProcess: ChildProcess | undefined;
let output = '';

/** `npm start`'s command on this spec's own data directory and ports; resolves once health answers. */
async function startConsole(): Promise<void> {
  output = '';
  consoleProcess = spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
      '--tsconfig',
      'tsconfig.scripts.json',
      'scripts/start.ts',
    ],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', ...vars },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  consoleProcess.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  consoleProcess.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  // Listening is printed last, after the identity service (and the build, already made by the
  // other specs' console) are ready.
  await expect.poll(() => output, { timeout: 120_000 }).toMatch(/Listening on/);
}

async function stopConsole(): Promise<void> {
  const child = consoleProcess;
  consoleProcess = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const studio = (...args: string[]) => runScript('scripts/studio.ts', args, vars);

/** Reloads `url` until its heading is `heading` (the console rechecks its pool every few seconds). */
async function expectHeading(page: Page, url: string, heading: string) {
  await expect(async () => {
    await page.goto(`${origin}${url}`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-disabled-'));
  const port = await freePort();
  vars = {
    DATA_DIR: dataDir,
    PORT: String(port),
    COGNITO_LOCAL_PORT: String(await freePort()),
    PUBLIC_URL: `http://localhost:${port}`,
    SMTP_URL: '',
  };
  origin = vars.PUBLIC_URL!;
  await startConsole();
});

test.afterAll(async () => {
  await stopConsole();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('disabled from the command line, the console says so, stays so across a restart, and enable brings sign-in back', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await expectHeading(page, '/login', 'Sign in to Studio Access');

  const appId = fs.readFileSync(path.join(dataDir, 'app-id'), 'utf8').trim();
  const disabled = await studio('disable', '--confirm', appId);
  expect(disabled.code).toBe(0);
  const exportFile = /Exported 1 member to (\S+)/.exec(disabled.stdout)?.[1];
  expect(exportFile).toBeDefined();

  await expectHeading(page, '/login', 'Studio is disabled');
  await expectHeading(page, '/settings/access', 'Studio is disabled');
  await expectHeading(page, '/invite', 'Studio is disabled');
  await expect(page.getByText('npm run studio -- enable --reinvite <export>')).toBeVisible();

  // A restart runs the identity service but makes no pool in place of the one disabled.
  await stopConsole();
  await startConsole();
  expect(output).toMatch(/Studio is disabled \(since .+\): npm run studio -- enable --reinvite/);
  expect(output).not.toMatch(/was made the first Full-access member/);
  await expectHeading(page, '/login', 'Studio is disabled');

  const enabled = await studio('enable', '--reinvite', exportFile!);
  expect(enabled.code).toBe(0);
  expect(enabled.stdout).toMatch(/invited\s+admin@example\.com/);
  await expectHeading(page, '/login', 'Sign in to Studio Access');
});
