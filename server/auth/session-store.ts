// The server's record of each session (DESIGN.md §7): what lets sign-out, "Sign out of all
// sessions" and removal end a session everywhere, whoever holds a copy of the cookie. A port, types
// only: SQLite (embedded, ./session-store-sqlite) and DynamoDB (AWS, ./session-store-dynamodb).
//
// Records are keyed by the SHA-256 of the session id the cookie carries: the store never holds an id
// from which a cookie could be rebuilt, and nothing in it is a credential.

export interface SessionRecord {
  /** SHA-256 of the session id, base64url (see ./sessions, sessionKey). */
  key: string;
  /** Cognito's `sub` and username of the member the session belongs to. */
  sub: string;
  username: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  /** Moved forward at most once a minute or so (SESSION_TOUCH_INTERVAL_MS), not on every request. */
  lastSeenAt: number;
  /** The absolute end of the session (SESSION_TTL after sign-in); nothing extends it. */
  expiresAt: number;
  /** When the session was ended (sign-out, sign out of all sessions, removal); null while live. */
  revokedAt: number | null;
}

export type NewSessionRecord = Pick<SessionRecord, 'key' | 'sub' | 'username' | 'createdAt' | 'expiresAt'>;

export interface SessionStore {
  /** Adds a live session, last seen at its creation. Throws when the key is already taken. */
  create(record: NewSessionRecord): Promise<void>;
  /** The record under `key`, live, revoked or expired; null when there is none. */
  get(key: string): Promise<SessionRecord | null>;
  /** Moves a live session's lastSeenAt forward to `at` (never back). */
  touch(key: string, at: number): Promise<void>;
  /** Ends one session at `at`; false when there was no live session under `key`. */
  revoke(key: string, at: number): Promise<boolean>;
  /** Ends every live session of the member with this username at `at`; how many were ended. */
  revokeAllForMember(username: string, at: number): Promise<number>;
  /** Deletes the records whose lifetime ended at or before `now`; how many. */
  pruneExpired(now: number): Promise<number>;
}
