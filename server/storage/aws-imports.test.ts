// The DynamoDB stores and the ports go into the Lambda bundles and the AWS-mode console: bundling
// them must pull in nothing embedded (SQLite, `server-only`, the env reader).
import path from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const ENTRIES = [
  'server/challenges/port.ts',
  'server/challenges/dynamodb.ts',
  'server/auth/session-store.ts',
  'server/auth/session-store-dynamodb.ts',
  'server/mail/delivery-events.ts',
  'server/members/stores.ts',
  'server/members/dynamodb.ts',
  'server/members/team-lock.ts',
  'server/members/team-lock-dynamodb.ts',
  'server/members/rate-window.ts',
  'server/members/rate-window-dynamodb.ts',
  'server/storage/dynamodb-table.ts',
];
const FORBIDDEN = [
  'better-sqlite3',
  'server-only',
  'server/env.ts',
  'server/storage/studio-db.ts',
  '/sqlite.ts',
];

it.each(ENTRIES)('%s bundles without SQLite, server-only or the env reader', async (entry) => {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((input) => input.includes(entry))).toBe(true);
  for (const forbidden of FORBIDDEN) expect(inputs.filter((input) => input.includes(forbidden))).toEqual([]);
});
