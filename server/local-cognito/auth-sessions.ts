// The `Session` of an InitiateAuth / RespondToAuthChallenge exchange: an opaque random string handed to
// the caller, of which only the hash is stored, with the state of the flow. Single-use and expiring,
// with Cognito's wording for each way a session can be bad.
import type { ServiceContext } from './context';
import { hashToken, randomToken } from './crypto';
import { invalidSession, notAuthorized } from './errors';
import type { ClientRecord, PoolRecord } from './store';

/** One answered challenge, as the custom-auth triggers see it in `request.session`. */
export interface ChallengeRecord {
  challengeName: string;
  challengeResult: boolean;
  /** Cognito sends null when the create trigger set no metadata. */
  challengeMetadata: string | null;
}

export interface SessionState {
  challengeName: 'NEW_PASSWORD_REQUIRED' | 'CUSTOM_CHALLENGE';
  /** The user's canonical username, or — for a user that does not exist — the name that was given. */
  username: string;
  /** Guards against the user being deleted and re-created while the session is open. */
  sub: string | null;
  userNotFound: boolean;
  /** CUSTOM_CHALLENGE: the challenges answered so far, and the current one's private parameters. */
  history: ChallengeRecord[];
  privateChallengeParameters: Record<string, string>;
  challengeMetadata: string | null;
  consumedAt?: number;
}

interface SessionRow {
  session_hash: string;
  pool_id: string;
  client_id: string;
  username_key: string;
  state: string;
  expires_at: number;
  created_at: number;
}

const DEFAULT_VALIDITY_MINUTES = 3;
// Spent and expired sessions are kept a while so a late caller gets "expired"/"used once" rather than
// the vaguer "Invalid session"; after that they are swept.
const KEEP_AFTER_EXPIRY_MS = 60 * 60 * 1000;

/** Opens a session for the next challenge; valid for the client's AuthSessionValidity minutes. */
export function createSession(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  usernameKey: string,
  state: SessionState,
): string {
  const now = ctx.now();
  const minutes = client.config.AuthSessionValidity ?? DEFAULT_VALIDITY_MINUTES;
  const session = randomToken(96);
  ctx.db.prepare('DELETE FROM auth_sessions WHERE expires_at < ?').run(now - KEEP_AFTER_EXPIRY_MS);
  ctx.db
    .prepare(
      `INSERT INTO auth_sessions (session_hash, pool_id, client_id, username_key, state, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      hashToken(session),
      pool.id,
      client.clientId,
      usernameKey,
      JSON.stringify(state),
      now + minutes * 60_000,
      now,
    );
  return session;
}

function check(ctx: ServiceContext, client: ClientRecord, row: SessionRow | undefined): SessionState {
  if (!row || row.client_id !== client.clientId) throw invalidSession();
  const state = JSON.parse(row.state) as SessionState;
  if (state.consumedAt !== undefined) {
    throw notAuthorized('Invalid session for the user, session can only be used once.');
  }
  if (ctx.now() >= row.expires_at) throw notAuthorized('Invalid session for the user, session is expired.');
  return state;
}

function rowOf(ctx: ServiceContext, session: unknown): SessionRow | undefined {
  if (typeof session !== 'string' || session === '') return undefined;
  return ctx.db.prepare('SELECT * FROM auth_sessions WHERE session_hash = ?').get(hashToken(session)) as
    | SessionRow
    | undefined;
}

/** The state of a live session, without using it up (to validate a response before consuming). */
export function peekSession(ctx: ServiceContext, client: ClientRecord, session: unknown): SessionState {
  return check(ctx, client, rowOf(ctx, session));
}

/**
 * Uses the session up. Atomic across requests and processes: of two concurrent responses carrying the
 * same Session exactly one gets the state; the other is told the session can only be used once.
 */
export function consumeSession(ctx: ServiceContext, client: ClientRecord, session: unknown): SessionState {
  return ctx.db
    .transaction(() => {
      const row = rowOf(ctx, session);
      if (!row) throw invalidSession();
      const state = check(ctx, client, row);
      const spent: SessionState = { ...state, consumedAt: ctx.now() };
      ctx.db
        .prepare('UPDATE auth_sessions SET state = ? WHERE session_hash = ?')
        .run(JSON.stringify(spent), row.session_hash);
      return state;
    })
    .immediate();
}
