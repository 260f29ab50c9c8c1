import { openStudioDb } from '@/server/storage/studio-db';
import { safeEqual } from './links';
import type { ChallengeStore, ConsumeResult, LinkState, PutLimits, PutResult, StoredLink } from './port';

// Append-only, like the identity service's: each entry runs once (server/storage/studio-db.ts).
const COMPONENT = 'challenges';
const MIGRATIONS: string[] = [
  `
  CREATE TABLE sign_in_links (
    secret_hash TEXT PRIMARY KEY,    -- SHA-256 of the secret, base64url; the secret itself is never stored
    username TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL,     -- ms
    expires_at INTEGER NOT NULL,     -- ms
    used_at INTEGER,                 -- set once, by the one consume that wins
    replaced_at INTEGER              -- a newer link (or an invalidation) retired this one
  );
  -- At most one live link per member.
  CREATE UNIQUE INDEX sign_in_links_live ON sign_in_links (username)
    WHERE used_at IS NULL AND replaced_at IS NULL;
  CREATE INDEX sign_in_links_member ON sign_in_links (username, created_at);
  CREATE INDEX sign_in_links_expiry ON sign_in_links (expires_at);
  `,
  // Operator (CLI) links send no mail, so they do not count towards the one-email-a-minute rule.
  `ALTER TABLE sign_in_links ADD COLUMN channel TEXT NOT NULL DEFAULT 'email';`,
];

const HOUR_MS = 60 * 60 * 1000;
// Rows are kept a day past expiry so a late click still says "expired" rather than "unknown".
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

interface LinkRow {
  secret_hash: string;
  username: string;
  email: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  replaced_at: number | null;
}

/** Opens (creating if needed) the challenge store in `dataDir/studio.sqlite`, in WAL mode. */
export function openSqliteChallengeStore(dataDir: string): ChallengeStore {
  const db = openStudioDb(dataDir, COMPONENT, MIGRATIONS);

  const lastCreated = db.prepare<[string], { created_at: number }>(
    `SELECT created_at FROM sign_in_links WHERE username = ? AND channel = 'email'
     ORDER BY created_at DESC LIMIT 1`,
  );
  // Oldest first: when the hour's allowance is spent, the first of them says when it frees up.
  const sentSince = db.prepare<[string, number], { created_at: number }>(
    `SELECT created_at FROM sign_in_links WHERE username = ? AND channel = 'email' AND created_at > ?
     ORDER BY created_at ASC`,
  );
  const retire = db.prepare<[number, string]>(
    'UPDATE sign_in_links SET replaced_at = ? WHERE username = ? AND used_at IS NULL AND replaced_at IS NULL',
  );
  const insert = db.prepare<[string, string, string, number, number, string]>(
    `INSERT INTO sign_in_links (secret_hash, username, email, created_at, expires_at, channel)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const prune = db.prepare<[number]>('DELETE FROM sign_in_links WHERE expires_at < ?');
  // The whole of "consume once" is this one statement: SQLite serialises writers, so of two
  // concurrent uses exactly one sees used_at IS NULL and gets the row back.
  const spend = db.prepare<[number, string, number], LinkRow>(
    `UPDATE sign_in_links SET used_at = ?
     WHERE secret_hash = ? AND used_at IS NULL AND replaced_at IS NULL AND expires_at > ?
     RETURNING *`,
  );
  const byHash = db.prepare<[string], LinkRow>('SELECT * FROM sign_in_links WHERE secret_hash = ?');

  // IMMEDIATE: the interval check and the insert must see the same latest link across processes.
  const putTx = db.transaction((link: StoredLink, limits: PutLimits): PutResult => {
    if (link.channel === 'email') {
      const last = lastCreated.get(link.username);
      if (last && link.createdAt - last.created_at < limits.minIntervalMs) {
        const retryAfterMs = last.created_at + limits.minIntervalMs - link.createdAt;
        return { stored: false, reason: 'interval', retryAfterMs };
      }
      if (limits.maxPerHour !== undefined) {
        const sent = sentSince.all(link.username, link.createdAt - HOUR_MS);
        if (sent.length >= limits.maxPerHour) {
          const freed = sent[sent.length - limits.maxPerHour]!.created_at + HOUR_MS;
          return { stored: false, reason: 'hourly', retryAfterMs: freed - link.createdAt };
        }
      }
    }
    prune.run(link.createdAt - KEEP_AFTER_EXPIRY_MS);
    retire.run(link.createdAt, link.username);
    insert.run(link.secretHash, link.username, link.email, link.createdAt, link.expiresAt, link.channel);
    return { stored: true };
  });

  function stateOf(row: LinkRow | undefined, now: number): LinkState {
    if (!row) return { state: 'unknown' };
    if (row.used_at !== null) return { state: 'used', email: row.email };
    if (row.replaced_at !== null) return { state: 'replaced', email: row.email };
    if (row.expires_at <= now) return { state: 'expired', email: row.email };
    return { state: 'valid', username: row.username, email: row.email, expiresAt: row.expires_at };
  }

  return {
    async put(link, options) {
      return putTx.immediate(link, options);
    },

    async consume(secretHash, username, now): Promise<ConsumeResult> {
      const row = spend.get(now, secretHash, now);
      if (row) {
        // The row is spent either way; it only signs in the member it was sent to.
        if (safeEqual(row.secret_hash, secretHash) && safeEqual(row.username, username)) {
          return { consumed: true, username: row.username, email: row.email };
        }
        return { consumed: false, reason: 'wrong-member' };
      }
      const state = stateOf(byHash.get(secretHash), now);
      // 'valid' here means another writer raced us between the two statements; it was not ours.
      return { consumed: false, reason: state.state === 'valid' ? 'used' : state.state };
    },

    async inspect(secretHash, now) {
      return stateOf(byHash.get(secretHash), now);
    },

    async invalidate(username, now) {
      retire.run(now, username);
    },

    close() {
      db.close();
    },
  };
}
