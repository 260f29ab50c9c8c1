import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { E2E_ADMIN_EMAIL, E2E_BASE_URL, E2E_COGNITO_PORT, E2E_DATA_DIR, E2E_PORT } from './e2e/environment';

const ci = Boolean(process.env.CI);
// Debian's Chromium when installed (.ci/run installs it); Playwright's own browser otherwise.
const systemChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  // Fixtures read the outbox through server modules; this config maps their `server-only` marker.
  tsconfig: './tsconfig.scripts.json',
  fullyParallel: false,
  workers: 1,
  forbidOnly: ci,
  retries: ci ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: ci ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: E2E_BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          ...(fs.existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    // A fresh data directory each run: a new pool, a new bootstrap admin, an empty outbox.
    command: `rm -rf ${JSON.stringify(E2E_DATA_DIR)} && npm start`,
    url: `${E2E_BASE_URL}/api/health`,
    env: {
      DATA_DIR: E2E_DATA_DIR,
      PORT: String(E2E_PORT),
      COGNITO_LOCAL_PORT: String(E2E_COGNITO_PORT),
      PUBLIC_URL: E2E_BASE_URL,
      BOOTSTRAP_ADMIN_EMAIL: E2E_ADMIN_EMAIL,
      IDENTITY_BACKEND: 'local',
      SMTP_URL: '',
      // GET /dev/cognito-calls: specs wait on the console's Cognito calls to know background work is over.
      COGNITO_CALL_STATS: '1',
    },
    // Long enough for a first `next build` on a slow machine.
    timeout: 240_000,
    reuseExistingServer: !ci,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
