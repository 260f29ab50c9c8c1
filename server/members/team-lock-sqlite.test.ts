import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { describeTeamLockContract } from './team-lock.contract';
import { openSqliteTeamLock, type SqliteTeamLock } from './team-lock-sqlite';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describeTeamLockContract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'team-lock-'));
  dirs.push(dir);
  const locks: SqliteTeamLock[] = [openSqliteTeamLock(dir)];
  return {
    lock: locks[0]!,
    async another() {
      const lock = openSqliteTeamLock(dir);
      locks.push(lock);
      return lock;
    },
    close() {
      for (const lock of locks) lock.close();
    },
  };
});
