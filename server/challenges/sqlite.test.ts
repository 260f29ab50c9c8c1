import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeChallengeStoreContract } from './challenge-store.contract';
import { hashSecret, isSecretShaped, issueSignInLink, newSecret, signInLinkUrl } from './links';
import type { ChallengeStore } from './port';
import { openSqliteChallengeStore } from './sqlite';

const ALICE = { username: 'alice-id', email: 'alice@example.com' };
const BOB = { username: 'bob-id', email: 'bob@example.com' };
const PUBLIC_URL = 'https://studio.example.com';
const T0 = Date.UTC(2030, 0, 1, 12);

let dataDir: string;
let store: ChallengeStore;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'challenges-'));
  store = openSqliteChallengeStore(dataDir);
});
afterEach(() => {
  store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function issue(member = ALICE, now = T0) {
  const link = await issueSignInLink(store, member, { publicUrl: PUBLIC_URL, now });
  if (!link) throw new Error('expected a link');
  return link;
}

describe('secrets', () => {
  it('are 256-bit base64url strings, fresh every time', () => {
    const secrets = new Set(Array.from({ length: 100 }, newSecret));
    expect(secrets.size).toBe(100);
    for (const secret of secrets) {
      expect(isSecretShaped(secret)).toBe(true);
      expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    }
  });

  it('make links on PUBLIC_URL with the secret in the fragment', () => {
    expect(signInLinkUrl('https://studio.example.com/', 'abc')).toBe(
      'https://studio.example.com/auth/link#abc',
    );
  });

  it('refuses anything not shaped like a secret', () => {
    expect(isSecretShaped('')).toBe(false);
    expect(isSecretShaped(`${newSecret()}x`)).toBe(false);
    expect(isSecretShaped(`${newSecret().slice(0, 42)}=`)).toBe(false);
  });
});

describeChallengeStoreContract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'challenges-'));
  const stores = [openSqliteChallengeStore(dir)];
  return {
    store: stores[0]!,
    async another() {
      const store = openSqliteChallengeStore(dir);
      stores.push(store);
      return store;
    },
    close() {
      for (const store of stores) store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite challenge store', () => {
  it('holds hashes only: no secret appears anywhere in the database files', async () => {
    const secrets = [(await issue(ALICE)).secret, (await issue(BOB)).secret];
    await store.consume(hashSecret(secrets[0]!), ALICE.username, T0);
    const files = fs.readdirSync(dataDir).filter((name) => name.startsWith('studio.sqlite'));
    expect(files).toContain('studio.sqlite-wal');
    const bytes = Buffer.concat(files.map((name) => fs.readFileSync(path.join(dataDir, name))));
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(hashSecret(secret)))).toBe(true);
    }
  });

  it('keeps its data across reopen, in WAL mode', async () => {
    const hash = hashSecret((await issue()).secret);
    store.close();
    store = openSqliteChallengeStore(dataDir);
    expect((await store.inspect(hash, T0)).state).toBe('valid');
  });

  it('of several processes consuming one link at once, exactly one wins', async () => {
    const hash = hashSecret((await issue()).secret);
    const worker = path.join(__dirname, 'test-consume-worker.ts');
    const workers = Array.from({ length: 4 }, () =>
      lineProcess(process.execPath, ['--import', 'tsx', worker, dataDir, hash, ALICE.username, String(T0)]),
    );
    try {
      // Every process has the store open and blocks on stdin: the barrier.
      await Promise.all(workers.map((w) => w.next()));
      expect(workers.map((w) => w.lines[0])).toEqual(['ready', 'ready', 'ready', 'ready']);

      // Holding the database's write lock while they start proves they overlap: each says it is
      // consuming, and none can finish (the UPDATE waits for the lock) until all four are inside.
      const lock = new Database(path.join(dataDir, 'studio.sqlite'));
      lock.exec('BEGIN IMMEDIATE');
      try {
        for (const w of workers) w.send('go');
        await Promise.all(workers.map((w) => w.next()));
        expect(workers.map((w) => w.lines)).toEqual(Array(4).fill(['ready', 'consuming']));
      } finally {
        lock.exec('ROLLBACK');
        lock.close();
      }

      const results = await Promise.all(
        workers.map(async (w) => JSON.parse(await w.next()) as { consumed: boolean; reason?: string }),
      );
      expect(results.filter((result) => result.consumed)).toHaveLength(1);
      expect(results.filter((result) => !result.consumed).map((result) => result.reason)).toEqual([
        'used',
        'used',
        'used',
      ]);
    } finally {
      for (const w of workers) w.kill();
    }
  }, 30_000);
});

/** A child process read line by line: `next()` resolves with its next line of output. */
function lineProcess(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: { resolve(line: string): void; reject(error: Error): void }[] = [];
  let stderr = '';
  let ended: Error | undefined;
  let read = 0;
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    const waiter = waiting.shift();
    if (waiter) {
      read++;
      waiter.resolve(line);
    }
  });
  child.on('close', (code) => {
    ended = new Error(`worker exited (${code}) after ${JSON.stringify(lines)}: ${stderr}`);
    for (const waiter of waiting.splice(0)) waiter.reject(ended);
  });
  return {
    lines,
    next(): Promise<string> {
      if (read < lines.length) return Promise.resolve(lines[read++]!);
      if (ended) return Promise.reject(ended);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    send(line: string) {
      child.stdin.write(`${line}\n`);
    },
    kill() {
      if (child.exitCode === null) child.kill();
    },
  };
}
