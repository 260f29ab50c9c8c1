import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { STUDIO_DB_FILE } from '@/server/storage/studio-db';
import { describeRateWindowContract } from './rate-window.contract';
import { openSqliteRateWindows, type SqliteRateWindowStore } from './rate-window-sqlite';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rate-window-'));
  dirs.push(dir);
  return dir;
}

describeRateWindowContract('SQLite', async () => {
  const dir = freshDir();
  const stores: SqliteRateWindowStore[] = [openSqliteRateWindows(dir)];
  return {
    store: stores[0]!,
    async another() {
      const store = openSqliteRateWindows(dir);
      stores.push(store);
      return store;
    },
    close() {
      for (const store of stores) store.close();
    },
  };
});

it('deletes the rows of windows that ended over an hour ago', async () => {
  const dir = freshDir();
  const store = openSqliteRateWindows(dir);
  const reader = new Database(path.join(dir, STUDIO_DB_FILE), { readonly: true });
  const rows = () =>
    reader.prepare('SELECT window_start FROM rate_windows ORDER BY window_start').pluck().all();
  try {
    const t0 = Date.UTC(2030, 0, 1, 12);
    await store.take({ name: 'AdminCreateUser', limit: 5, windowMs: 1_000, now: t0 });
    await store.take({ name: 'AdminCreateUser', limit: 5, windowMs: 1_000, now: t0 + 60_000 });
    expect(rows()).toEqual([t0, t0 + 60_000]);
    await store.take({ name: 'AdminCreateUser', limit: 5, windowMs: 1_000, now: t0 + 3_601_500 });
    expect(rows()).toEqual([t0 + 60_000, t0 + 3_601_000]);
  } finally {
    reader.close();
    store.close();
  }
});
