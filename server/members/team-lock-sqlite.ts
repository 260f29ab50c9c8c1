import { openStudioDb } from '@/server/storage/studio-db';
import type { TeamLock } from './team-lock';
import { checkLeaseRequest } from './team-lock-rules';

// The team lock in DATA_DIR/studio.sqlite: one row per lock name; each call is one statement, and
// SQLite serialises writers, so every process on the data directory sees one holder at most.

const COMPONENT = 'team-lock';
// Append-only: each entry runs once, in order.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE team_locks (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL             -- ms; the lease is over at this instant
  ) WITHOUT ROWID;
  `,
];

export type SqliteTeamLock = TeamLock & { close(): void };

export function openSqliteTeamLock(dataDir: string): SqliteTeamLock {
  const db = openStudioDb(dataDir, COMPONENT, MIGRATIONS);
  const take = db.prepare<[string, string, number, number]>(
    `INSERT INTO team_locks (name, owner, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
     WHERE team_locks.expires_at <= ? OR team_locks.owner = excluded.owner`,
  );
  const holder = db.prepare<[string], { expires_at: number }>(
    'SELECT expires_at FROM team_locks WHERE name = ?',
  );
  const extend = db.prepare<[number, string, string, number]>(
    'UPDATE team_locks SET expires_at = ? WHERE name = ? AND owner = ? AND expires_at > ?',
  );
  const drop = db.prepare<[string, string]>('DELETE FROM team_locks WHERE name = ? AND owner = ?');

  return {
    async acquire(request) {
      checkLeaseRequest(request);
      const expiresAt = request.now + request.ttlMs;
      if (take.run(request.name, request.owner, expiresAt, request.now).changes > 0) {
        return { acquired: true, expiresAt };
      }
      const held = holder.get(request.name);
      return { acquired: false, retryAfterMs: Math.max(0, (held?.expires_at ?? request.now) - request.now) };
    },
    async renew(request) {
      checkLeaseRequest(request);
      return extend.run(request.now + request.ttlMs, request.name, request.owner, request.now).changes > 0;
    },
    async release(request) {
      return drop.run(request.name, request.owner).changes > 0;
    },
    close: () => db.close(),
  };
}
