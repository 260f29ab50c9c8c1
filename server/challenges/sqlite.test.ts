import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChallengeStore } from './index';
import {
  hashSecret,
  isSecretShaped,
  issueSignInLink,
  LINK_TTL_MS,
  MAX_EMAILS_PER_HOUR,
  MIN_SEND_INTERVAL_MS,
  newSecret,
  signInLinkUrl,
} from './links';
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

describe('sqlite challenge store', () => {
  it('signs in the member once with a fresh link', async () => {
    const link = await issue();
    expect(link.url).toBe(`${PUBLIC_URL}/auth/link#${link.secret}`);
    expect(link.expiresAt).toBe(T0 + LINK_TTL_MS);
    const hash = hashSecret(link.secret);

    expect(await store.inspect(hash, T0 + 1000)).toEqual({
      state: 'valid',
      username: ALICE.username,
      email: ALICE.email,
      expiresAt: T0 + LINK_TTL_MS,
    });
    expect(await store.consume(hash, ALICE.username, T0 + 1000)).toEqual({
      consumed: true,
      username: ALICE.username,
      email: ALICE.email,
    });
    expect(await store.consume(hash, ALICE.username, T0 + 2000)).toEqual({ consumed: false, reason: 'used' });
    expect(await store.inspect(hash, T0 + 2000)).toEqual({ state: 'used', email: ALICE.email });
  });

  it('inspecting a link does not spend it', async () => {
    const hash = hashSecret((await issue()).secret);
    for (let i = 0; i < 3; i++) expect((await store.inspect(hash, T0)).state).toBe('valid');
    expect((await store.consume(hash, ALICE.username, T0)).consumed).toBe(true);
  });

  it('refuses an expired link, at exactly 15 minutes', async () => {
    const hash = hashSecret((await issue()).secret);
    expect(await store.consume(hash, ALICE.username, T0 + LINK_TTL_MS)).toEqual({
      consumed: false,
      reason: 'expired',
    });
    expect(await store.inspect(hash, T0 + LINK_TTL_MS)).toEqual({ state: 'expired', email: ALICE.email });
  });

  it('refuses a secret with one character changed', async () => {
    const { secret } = await issue();
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    const altered = hashSecret(`${secret.slice(0, -1)}${last}`);
    expect(await store.consume(altered, ALICE.username, T0)).toEqual({ consumed: false, reason: 'unknown' });
    expect((await store.inspect(hashSecret(secret), T0)).state).toBe('valid');
  });

  it("spends, but refuses, member A's link presented for member B", async () => {
    const hash = hashSecret((await issue(ALICE)).secret);
    expect(await store.consume(hash, BOB.username, T0)).toEqual({ consumed: false, reason: 'wrong-member' });
    expect(await store.consume(hash, ALICE.username, T0)).toEqual({ consumed: false, reason: 'used' });
  });

  it('keeps one live link per member: a newer link retires the older', async () => {
    const older = hashSecret((await issue(ALICE, T0)).secret);
    const newer = hashSecret((await issue(ALICE, T0 + MIN_SEND_INTERVAL_MS)).secret);
    expect(await store.inspect(older, T0 + MIN_SEND_INTERVAL_MS)).toEqual({
      state: 'replaced',
      email: ALICE.email,
    });
    expect(await store.consume(older, ALICE.username, T0 + MIN_SEND_INTERVAL_MS)).toEqual({
      consumed: false,
      reason: 'replaced',
    });
    expect((await store.consume(newer, ALICE.username, T0 + MIN_SEND_INTERVAL_MS)).consumed).toBe(true);
  });

  it('refuses a second link within 60 seconds and stores nothing', async () => {
    const first = hashSecret((await issue(ALICE, T0)).secret);
    const second = await issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now: T0 + 59_999 });
    expect(second).toBeUndefined();
    expect(
      await store.put(
        {
          secretHash: 'x',
          username: ALICE.username,
          email: ALICE.email,
          createdAt: T0 + 30_000,
          expiresAt: T0,
          channel: 'email',
        },
        { minIntervalMs: MIN_SEND_INTERVAL_MS },
      ),
    ).toEqual({ stored: false, reason: 'interval', retryAfterMs: 30_000 });
    // The first link is untouched, and other members are not held back.
    expect((await store.inspect(first, T0 + 59_999)).state).toBe('valid');
    expect(await issueSignInLink(store, BOB, { publicUrl: PUBLIC_URL, now: T0 + 1 })).toBeDefined();
  });

  it('lets the operator CLI mint at any time, and its links do not hold an email back', async () => {
    await issue(ALICE, T0);
    const operator = (now: number) =>
      issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now, channel: 'operator' });
    expect(await operator(T0 + 1)).toBeDefined();
    // The emailed link of T0 still sets the pace for email...
    expect(await issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now: T0 + 2 })).toBeUndefined();
    // ...but an operator link alone does not.
    expect(await operator(T0 + MIN_SEND_INTERVAL_MS)).toBeDefined();
    const emailed = await issueSignInLink(store, ALICE, {
      publicUrl: PUBLIC_URL,
      now: T0 + MIN_SEND_INTERVAL_MS + 1,
    });
    expect(emailed).toBeDefined();
    // One live link per member whatever the channel: the email replaced the operator link.
    expect((await store.inspect(hashSecret(emailed!.secret), T0 + MIN_SEND_INTERVAL_MS + 1)).state).toBe(
      'valid',
    );
  });

  it('emails a member at most five links an hour, across stores on one database', async () => {
    const minute = MIN_SEND_INTERVAL_MS;
    for (let i = 0; i < MAX_EMAILS_PER_HOUR; i++) await issue(ALICE, T0 + i * minute);
    // A second console instance on the same data sees the same count.
    const other = openSqliteChallengeStore(dataDir);
    try {
      const sixth = T0 + 10 * minute;
      expect(await issueSignInLink(other, ALICE, { publicUrl: PUBLIC_URL, now: sixth })).toBeUndefined();
      expect(
        await other.put(
          {
            secretHash: 'y',
            username: ALICE.username,
            email: ALICE.email,
            createdAt: sixth,
            expiresAt: sixth,
            channel: 'email',
          },
          { minIntervalMs: minute, maxPerHour: MAX_EMAILS_PER_HOUR },
        ),
      ).toEqual({ stored: false, reason: 'hourly', retryAfterMs: 50 * minute });
    } finally {
      other.close();
    }
    // The link of the fifth email is still the live one; other members and the operator are not held back.
    expect(await issueSignInLink(store, BOB, { publicUrl: PUBLIC_URL, now: T0 + 10 * minute })).toBeDefined();
    const operator = { publicUrl: PUBLIC_URL, now: T0 + 11 * minute, channel: 'operator' as const };
    expect(await issueSignInLink(store, ALICE, operator)).toBeDefined();
    // An hour after the first email, one more may go.
    expect(
      await issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now: T0 + 60 * minute - 1 }),
    ).toBeUndefined();
    expect(
      await issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now: T0 + 60 * minute }),
    ).toBeDefined();
  });

  it('invalidate retires the live link', async () => {
    const hash = hashSecret((await issue()).secret);
    await store.invalidate(ALICE.username, T0 + 1);
    expect(await store.consume(hash, ALICE.username, T0 + 2)).toEqual({
      consumed: false,
      reason: 'replaced',
    });
  });

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
