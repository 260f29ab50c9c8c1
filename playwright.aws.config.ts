import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { AWS_PORT_BASE, CONSOLE_A } from './e2e-aws/environment';

const ci = Boolean(process.env.CI);
const systemChromium = '/usr/bin/chromium';

// The AWS-mode journey: `npm run aws:local` (dynalite, aws-ses-v2-local, the embedded identity service
// and two standalone consoles in AWS mode), fresh for every run (DynamoDB and SES in memory). The
// identity service answers COGNITO_LATENCY_MS late, as a Cognito region away would: requests on the
// two instances then overlap in Cognito as they would in AWS (e2e-aws/last-admin-race.spec.ts).
const COGNITO_LATENCY_MS = 200;

export default defineConfig({
  testDir: 'e2e-aws',
  tsconfig: './tsconfig.scripts.json',
  fullyParallel: false,
  workers: 1,
  forbidOnly: ci,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  // Relative paths go to instance A; the journey names B's origin where it uses B.
  use: { baseURL: CONSOLE_A, trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          ...(fs.existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
          args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
        },
      },
    },
  ],
  webServer: {
    command: `npm run aws:local -- --port-base ${AWS_PORT_BASE} --cognito-latency ${COGNITO_LATENCY_MS}`,
    // aws:local prints its URLs once both instances answer; A's health is what Playwright waits on.
    url: `${CONSOLE_A}/api/health`,
    timeout: 300_000,
    // A fresh topology each run: the journey expects an empty team.
    reuseExistingServer: false,
    // SIGTERM: aws:local stops its consoles and engines and removes its temporary directory.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
