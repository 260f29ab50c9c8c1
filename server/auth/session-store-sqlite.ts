import { openStudioDb } from '@/server/storage/studio-db';
import type { SessionRecord, SessionStore } from './session-store';

// The embedded session store, in the app's database DATA_DIR/studio.sqlite (its own table and
// schema version; see server/storage/studio-db.ts).

const COMPONENT = 'sessions';

// Append-only: each entry runs once, in order.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE auth_sessions (
    key TEXT PRIMARY KEY,                   -- SHA-256 of the session id, base64url
    sub TEXT NOT NULL,
    username TEXT NOT NULL,
    created_at INTEGER NOT NULL,            -- ms
    last_seen_at INTEGER NOT NULL,          -- ms
    expires_at INTEGER NOT NULL,            -- ms
    revoked_at INTEGER                      -- ms; NULL while live
  ) WITHOUT ROWID;
  CREATE INDEX auth_sessions_live_member ON auth_sessions (username) WHERE revoked_at IS NULL;
  CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);
  `,
];

interface SessionRow {
  key: string;
  sub: string;
  username: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export type SqliteSessionStore = SessionStore & { close(): void };

/** Opens (creating if needed) the session records in `dataDir/studio.sqlite`. */
export function openSqliteSessionStore(dataDir: string): SqliteSessionStore {
  const db = openStudioDb(dataDir, COMPONENT, MIGRATIONS);
  const insert = db.prepare<[string, string, string, number, number, number]>(
    `INSERT INTO auth_sessions (key, sub, username, created_at, last_seen_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const byKey = db.prepare<[string], SessionRow>('SELECT * FROM auth_sessions WHERE key = ?');
  const touch = db.prepare<[number, string, number]>(
    'UPDATE auth_sessions SET last_seen_at = ? WHERE key = ? AND revoked_at IS NULL AND last_seen_at < ?',
  );
  const revoke = db.prepare<[number, string]>(
    'UPDATE auth_sessions SET revoked_at = ? WHERE key = ? AND revoked_at IS NULL',
  );
  const revokeAll = db.prepare<[number, string]>(
    'UPDATE auth_sessions SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL',
  );
  const prune = db.prepare<[number]>('DELETE FROM auth_sessions WHERE expires_at <= ?');

  return {
    async create(record) {
      insert.run(
        record.key,
        record.sub,
        record.username,
        record.createdAt,
        record.createdAt,
        record.expiresAt,
      );
    },
    async get(key) {
      const row = byKey.get(key);
      return row ? toRecord(row) : null;
    },
    async touch(key, at) {
      touch.run(at, key, at);
    },
    async revoke(key, at) {
      return revoke.run(at, key).changes > 0;
    },
    async revokeAllForMember(username, at) {
      return revokeAll.run(at, username).changes;
    },
    async pruneExpired(now) {
      return prune.run(now).changes;
    },
    close: () => db.close(),
  };
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    key: row.key,
    sub: row.sub,
    username: row.username,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}
