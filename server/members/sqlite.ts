import { type AccessLevel, isAccessLevel } from '@/lib/access-levels';
import { type ActivityAction, type ActivityEntry, activityActions } from '@/lib/members';
import { openStudioDb } from '@/server/storage/studio-db';
import type { ActivityStore, InviteRecord, InviteStore, MemberStores } from './stores';

// The embedded stores, in the app's database DATA_DIR/studio.sqlite (shared with server/challenges:
// each opens its own connection and keeps its own tables; see server/storage/studio-db.ts).

const COMPONENT = 'members';

// Append-only: each entry runs once, in order.
const MIGRATIONS: string[] = [
  `
  CREATE TABLE member_activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- newest first = id descending; the cursor is an id
    at INTEGER NOT NULL,                    -- ms
    actor_email TEXT NOT NULL,
    action TEXT NOT NULL,
    target_email TEXT,
    detail TEXT,
    outcome TEXT NOT NULL,                  -- success | failure
    message TEXT
  );
  CREATE INDEX member_activity_target ON member_activity (target_email, id) WHERE target_email IS NOT NULL;
  CREATE INDEX member_activity_actor ON member_activity (actor_email, id);

  CREATE TABLE member_invites (
    email TEXT PRIMARY KEY,                 -- lower-cased
    username TEXT,
    invited_by TEXT,
    access_level TEXT,                      -- full | manage: the level the member should hold
    delivery TEXT,                          -- sent | failed | NULL (no invitation sent by the console)
    delivery_error TEXT,
    invited_at INTEGER,                     -- ms
    changed_at INTEGER NOT NULL             -- ms
  );
  CREATE INDEX member_invites_failed ON member_invites (email) WHERE delivery = 'failed';
  `,
];

interface ActivityRow {
  id: number;
  at: number;
  actor_email: string;
  action: string;
  target_email: string | null;
  detail: string | null;
  outcome: string;
  message: string | null;
}

interface InviteRow {
  email: string;
  username: string | null;
  invited_by: string | null;
  access_level: string | null;
  delivery: string | null;
  delivery_error: string | null;
  invited_at: number | null;
  changed_at: number;
}

/** Opens (creating if needed) the activity log and invitation records in `dataDir/studio.sqlite`. */
export function openSqliteMemberStores(dataDir: string, now: () => number = Date.now): MemberStores {
  const db = openStudioDb(dataDir, COMPONENT, MIGRATIONS);

  const insertActivity = db.prepare<
    [number, string, string, string | null, string | null, string, string | null],
    ActivityRow
  >(
    `INSERT INTO member_activity (at, actor_email, action, target_email, detail, outcome, message)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  );
  const latest = db.prepare<[number, number], ActivityRow>(
    'SELECT * FROM member_activity WHERE id < ? ORDER BY id DESC LIMIT ?',
  );
  // Two index range scans merged by id: the member as target, and as actor.
  const latestForMember = db.prepare<[string, number, string, number, number], ActivityRow>(
    `SELECT * FROM (
       SELECT * FROM member_activity WHERE target_email = ? AND id < ?
       UNION
       SELECT * FROM member_activity WHERE actor_email = ? AND id < ?
     ) ORDER BY id DESC LIMIT ?`,
  );

  const activity: ActivityStore = {
    async record(entry) {
      const row = insertActivity.get(
        entry.at ?? now(),
        entry.actorEmail.toLowerCase(),
        entry.action,
        entry.targetEmail?.toLowerCase() ?? null,
        entry.detail,
        entry.outcome,
        entry.message,
      );
      if (!row) throw new Error('member_activity insert returned nothing');
      return toEntry(row);
    },
    async list(query) {
      const before = decodeCursor(query.cursor) ?? Number.MAX_SAFE_INTEGER;
      const limit = Math.max(1, Math.min(200, Math.floor(query.limit)));
      const member = query.member?.trim().toLowerCase();
      const rows = member
        ? latestForMember.all(member, before, member, before, limit + 1)
        : latest.all(before, limit + 1);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        entries: page.map(toEntry),
        ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.id) } : {}),
      };
    },
  };

  const byEmail = db.prepare<[string], InviteRow>('SELECT * FROM member_invites WHERE email = ?');
  const upsertInvitation = db.prepare<
    [string, string, string, string, string, string | null, number, number]
  >(
    `INSERT INTO member_invites
       (email, username, invited_by, access_level, delivery, delivery_error, invited_at, changed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (email) DO UPDATE SET
       username = excluded.username, invited_by = excluded.invited_by,
       access_level = excluded.access_level, delivery = excluded.delivery,
       delivery_error = excluded.delivery_error, invited_at = excluded.invited_at,
       changed_at = excluded.changed_at`,
  );
  const upsertDelivery = db.prepare<[string, string, string, string, string | null, number, number]>(
    `INSERT INTO member_invites (email, username, invited_by, delivery, delivery_error, invited_at, changed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (email) DO UPDATE SET
       username = excluded.username, invited_by = excluded.invited_by, delivery = excluded.delivery,
       delivery_error = excluded.delivery_error, invited_at = excluded.invited_at,
       changed_at = excluded.changed_at`,
  );
  const upsertLevel = db.prepare<[string, string, string, number]>(
    `INSERT INTO member_invites (email, username, access_level, changed_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (email) DO UPDATE SET
       username = excluded.username, access_level = excluded.access_level, changed_at = excluded.changed_at`,
  );
  const remove = db.prepare<[string]>('DELETE FROM member_invites WHERE email = ?');
  const markBounced = db.prepare<[string, string, number], InviteRow>(
    `UPDATE member_invites SET delivery = 'failed', delivery_error = ?
     WHERE email = ? AND delivery = 'sent' AND invited_at <= ? RETURNING *`,
  );
  const failedAfter = db.prepare<[string, string, string, number], InviteRow>(
    `SELECT * FROM member_invites
     WHERE delivery = 'failed' AND email > ? AND email >= ? AND email < ? ORDER BY email LIMIT ?`,
  );

  const invites: InviteStore = {
    async getMany(emails) {
      const found = new Map<string, InviteRecord>();
      // One statement per email: point look-ups on the primary key, prepared once.
      for (const email of new Set(emails.map((e) => e.toLowerCase()))) {
        const row = byEmail.get(email);
        if (row) found.set(email, toInvite(row));
      }
      return found;
    },
    async recordInvitation(record) {
      upsertInvitation.run(
        record.email.toLowerCase(),
        record.username,
        record.invitedBy.toLowerCase(),
        record.accessLevel,
        record.delivery,
        record.deliveryError,
        record.at,
        record.at,
      );
    },
    async recordDelivery(email, update) {
      upsertDelivery.run(
        email.toLowerCase(),
        update.username,
        update.invitedBy.toLowerCase(),
        update.delivery,
        update.deliveryError,
        update.at,
        update.at,
      );
    },
    async recordLevel(email, update) {
      upsertLevel.run(email.toLowerCase(), update.username, update.accessLevel, update.at);
    },
    async remove(email) {
      remove.run(email.toLowerCase());
    },
    async recordBounce(email, bounce) {
      const row = markBounced.get(bounce.reason, email.toLowerCase(), bounce.invitedNoLaterThan);
      return row ? toInvite(row) : null;
    },
    async listFailed({ after, prefix, limit }) {
      const size = Math.max(1, Math.min(200, Math.floor(limit)));
      const from = prefix?.toLowerCase() ?? '';
      // Every string starting with the prefix sorts below prefix + U+FFFF (emails are lower-cased).
      const rows = failedAfter.all(after ?? '', from, `${from}\uffff`, size + 1);
      const page = rows.slice(0, size);
      const last = page[page.length - 1];
      return { records: page.map(toInvite), ...(rows.length > size && last ? { next: last.email } : {}) };
    },
  };

  return { activity, invites, close: () => db.close() };
}

function toEntry(row: ActivityRow): ActivityEntry {
  return {
    id: String(row.id),
    at: new Date(row.at).toISOString(),
    actorEmail: row.actor_email,
    action: activityActions.find((action) => action === row.action) ?? (row.action as ActivityAction),
    targetEmail: row.target_email,
    detail: row.detail,
    outcome: row.outcome === 'failure' ? 'failure' : 'success',
    message: row.message,
  };
}

function toInvite(row: InviteRow): InviteRecord {
  const level: AccessLevel | null = isAccessLevel(row.access_level) ? row.access_level : null;
  return {
    email: row.email,
    username: row.username,
    invitedBy: row.invited_by,
    accessLevel: level,
    delivery: row.delivery === 'sent' || row.delivery === 'failed' ? row.delivery : null,
    deliveryError: row.delivery_error,
    invitedAt: row.invited_at,
    changedAt: row.changed_at,
  };
}

function encodeCursor(id: number): string {
  return Buffer.from(String(id), 'utf8').toString('base64url');
}

/** The id a cursor names, or undefined for a missing or malformed one (the newest page). */
function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}
