import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteChallengeStore } from '@/server/challenges';
import { describeMemberStoresContract } from './member-stores.contract';
import { openSqliteMemberStores } from './sqlite';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'member-stores-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describeMemberStoresContract('SQLite', async () => {
  const dir = tempDir();
  const opened = [openSqliteMemberStores(dir)];
  return {
    stores: opened[0]!,
    async another() {
      const stores = openSqliteMemberStores(dir);
      opened.push(stores);
      return stores;
    },
    close() {
      for (const stores of opened) stores.close();
    },
  };
});

describe('the SQLite member stores', () => {
  it('share studio.sqlite with the challenge store, each with its own tables, and survive reopening', async () => {
    const dir = tempDir();
    const challenges = openSqliteChallengeStore(dir);
    const first = openSqliteMemberStores(dir);
    await first.activity.record({
      actorEmail: 'Admin@Example.com',
      action: 'invite',
      targetEmail: 'Ana@Example.com',
      detail: 'Manage only',
      outcome: 'success',
      message: null,
      at: Date.parse('2026-01-02T03:04:05Z'),
    });
    const put = await challenges.put(
      {
        secretHash: 'h'.repeat(43),
        username: 'u1',
        email: 'ana@example.com',
        createdAt: Date.now(),
        expiresAt: Date.now() + 60_000,
        channel: 'email',
      },
      { minIntervalMs: 0 },
    );
    expect(put.stored).toBe(true);
    first.close();

    const again = openSqliteMemberStores(dir);
    const { entries } = await again.activity.list({ limit: 10 });
    expect(entries).toEqual([
      {
        id: expect.any(String),
        at: '2026-01-02T03:04:05.000Z',
        actorEmail: 'admin@example.com',
        action: 'invite',
        targetEmail: 'ana@example.com',
        detail: 'Manage only',
        outcome: 'success',
        message: null,
      },
    ]);
    expect((await challenges.inspect('h'.repeat(43), Date.now())).state).toBe('valid');
    again.close();
    challenges.close();
  });
});
