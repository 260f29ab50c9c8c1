// The AWS adapters' tests and the Lambda trigger bundles: the files `npm run test:aws-runtimes` runs
// again on Node 22 and 24 (what Lambda runs). None of them may load better-sqlite3 (built for the
// project's own Node, it does not load on another ABI), so SQLite halves of the contract suites live
// in their own files and stay out of this list.
import { defineConfig } from 'vitest/config';
import base from './vitest.config';

const AWS_TEST_FILES = [
  'infra/studio-stack.test.ts',
  'test/node-runtime.test.ts',
  'server/auth/session-store-dynamodb.test.ts',
  'server/challenges/dynamodb.test.ts',
  'server/env-trigger.test.ts',
  'server/mail/delivery-events.test.ts',
  'server/mail/ses.test.ts',
  'server/members/dynamodb.test.ts',
  'server/members/rate-window-dynamodb.test.ts',
  'server/members/team-lock-dynamodb.test.ts',
  'server/storage/aws-imports.test.ts',
  'server/storage/dynamodb-table.test.ts',
];

// Spread, not mergeConfig: mergeConfig concatenates `include` with the base's `**/*.test.ts`.
export default defineConfig({ ...base, test: { ...base.test, include: AWS_TEST_FILES } });
