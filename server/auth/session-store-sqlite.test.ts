import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeSessionStoreContract } from './session-store.contract';
import { openSqliteSessionStore } from './session-store-sqlite';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-store-'));
  dirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describeSessionStoreContract('SQLite', async () => {
  const store = openSqliteSessionStore(tempDir());
  return { store, close: () => store.close() };
});

describe('SQLite session store', () => {
  it('shares its records with every process on the same data directory, and keeps them across restarts', async () => {
    const dir = tempDir();
    const one = openSqliteSessionStore(dir);
    const other = openSqliteSessionStore(dir);
    const record = { key: 'k1', sub: 's', username: 'u', createdAt: 1_000, expiresAt: 10_000 };
    await one.create(record);
    expect(await other.revoke('k1', 2_000)).toBe(true);
    expect((await one.get('k1'))?.revokedAt).toBe(2_000);
    one.close();
    other.close();
    const reopened = openSqliteSessionStore(dir);
    expect(await reopened.get('k1')).toMatchObject({ sub: 's', revokedAt: 2_000 });
    reopened.close();
  });
});
