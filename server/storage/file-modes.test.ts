// DATA_DIR after a real start (the wiring npm start uses): the directory 0700, every file 0600 —
// the SQLite databases with their -wal and -shm, the generated secrets, the outbox — whatever the
// umask, and tightened (with a line in the log) when an older version left them readable by others.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '@/scripts/free-port';
import { loadEnv } from '@/server/env';
import { openSqliteMemberStores } from '@/server/members/sqlite';
import { createMailer, startIdentityBackend } from '@/server/runtime';

/** Every entry under `dir` (and `dir` itself as "."), with its permission bits in octal. */
function modes(dir: string): Record<string, string> {
  const listing: Record<string, string> = { '.': (fs.statSync(dir).mode & 0o777).toString(8) };
  for (const entry of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    listing[entry] = (fs.statSync(path.join(dir, entry)).mode & 0o777).toString(8);
  }
  return listing;
}

/** Starts what `npm start` starts on `dataDir` — identity service, stores, outbox — and sends one mail. */
async function start(dataDir: string, log: (line: string) => void) {
  const env = loadEnv({
    DATA_DIR: dataDir,
    PORT: '3999',
    COGNITO_LOCAL_PORT: String(await freePort()),
    PUBLIC_URL: 'http://localhost:3999',
    IDENTITY_BACKEND: 'local',
    BOOTSTRAP_ADMIN_EMAIL: 'modes-admin@example.com',
  });
  const backend = await startIdentityBackend(env, log);
  const members = openSqliteMemberStores(env.dataDir);
  await createMailer(env, { log }).send({ to: 'ana@example.com', subject: 'Hello', text: 'secret link' });
  return {
    async stop() {
      members.close();
      await backend.close();
    },
  };
}

let root: string;
let umask: number;
let warnings: string[];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'file-modes-'));
  // The usual umask, which leaves new files 0644 and directories 0755 unless the code says otherwise.
  umask = process.umask(0o022);
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((line: unknown) => {
    warnings.push(String(line));
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.umask(umask);
  fs.rmSync(root, { recursive: true, force: true });
});

const SECRETS = ['app-id', 'short-code', 'session-secret', 'cognito-pepper'];
const DATABASE_FILES = [
  'cognito.sqlite',
  'cognito.sqlite-wal',
  'cognito.sqlite-shm',
  'studio.sqlite',
  'studio.sqlite-wal',
  'studio.sqlite-shm',
];

function expectPrivate(dataDir: string) {
  const listing = modes(dataDir);
  for (const name of [...SECRETS, ...DATABASE_FILES]) expect(listing[name], name).toBe('600');
  expect(listing['.']).toBe('700');
  expect(listing.outbox).toBe('700');
  const messages = Object.keys(listing).filter((name) => name.startsWith(`outbox${path.sep}`));
  expect(messages.length).toBeGreaterThan(0);
  // Nothing anywhere is open to group or others.
  for (const [name, mode] of Object.entries(listing)) {
    expect(mode, name).toBe(fs.statSync(path.join(dataDir, name)).isDirectory() ? '700' : '600');
  }
}

describe('DATA_DIR modes', () => {
  it('a fresh start makes the directory 0700 and every file 0600, -wal and -shm after the first writes', async () => {
    const dataDir = path.join(root, 'data');
    const lines: string[] = [];
    const running = await start(dataDir, (line) => lines.push(line));
    try {
      expectPrivate(dataDir);
    } finally {
      await running.stop();
    }
    // Nothing was loose, so nothing is reported.
    expect([...warnings, ...lines].filter((line) => line.includes('readable by others'))).toEqual([]);
  });

  it('a start over a directory an older version left 0755 with 0644 files tightens each and says so', async () => {
    const dataDir = path.join(root, 'data');
    await (await start(dataDir, () => {})).stop();
    // As an older version left it: everything readable by everyone.
    const loosened: string[] = [];
    for (const name of Object.keys(modes(dataDir))) {
      const target = path.join(dataDir, name);
      fs.chmodSync(target, fs.statSync(target).isDirectory() ? 0o755 : 0o644);
      loosened.push(target);
    }
    expect(modes(dataDir)['cognito.sqlite']).toBe('644');

    const lines: string[] = [];
    const running = await start(dataDir, (line) => lines.push(line));
    try {
      expectPrivate(dataDir);
    } finally {
      await running.stop();
    }
    const reported = [...warnings, ...lines].filter((line) => line.includes('readable by others'));
    for (const target of loosened) {
      const [was, now] = fs.statSync(target).isDirectory() ? ['0755', '0700'] : ['0644', '0600'];
      expect(reported, target).toContain(`${target} was readable by others (${was}); its mode is now ${now}`);
    }
  });
});
