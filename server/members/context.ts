import 'server-only';
import type { Session } from '@/server/auth/dal';
import { getSessionStore } from '@/server/auth/session-records';
import type { SessionStore } from '@/server/auth/session-store';
import { type CognitoContext, getCognitoContext } from '@/server/cognito/client';
import { defaultRetryPolicy, type RateLimiter, type RetryPolicy } from '@/server/cognito/throttle';
import { getStores } from '@/server/runtime';
import { adminCreateUserPacing } from './invite-pacing';
import type { ActivityStore, InviteStore, MemberStores } from './stores';
import { type TeamLease, teamLease } from './team-lease';

/** Who is acting: the signed-in member from the data access layer. */
export type Actor = Pick<Session, 'username' | 'email' | 'accessLevel'>;

/** Everything the member rules use; tests build their own against an embedded service. */
export interface MembersContext {
  cognito: CognitoContext;
  invites: InviteStore;
  activity: ActivityStore;
  /** The session records: removing a member ends their sessions. */
  sessions: SessionStore;
  /** Held around every last-admin read-check-write, across console instances. */
  teamLease: TeamLease;
  /**
   * Paces AdminCreateUser (invite and resend) under Cognito's quota; by default shared through the
   * stores with every console process on the same DATA_DIR or STUDIO_TABLE.
   */
  createLimiter: RateLimiter;
  retry: RetryPolicy;
  /**
   * A member created less than this long ago and still in no group is taken to be an invitation
   * another request is finishing (it adds the group right after creating): left alone, not repaired.
   */
  settleMs: number;
  /** Cognito reads in flight at once while filling a page (one per member for access levels). */
  readConcurrency: number;
}

export const DEFAULT_SETTLE_MS = 60_000;
export const DEFAULT_READ_CONCURRENCY = 12;

/** This process's activity log and invitation records, as server/runtime.ts wires them. */
export function getMemberStores(): MemberStores {
  return getStores().members();
}

// One per process: its smoothing bucket paces every request of this process together.
let createLimiter: RateLimiter | undefined;

export async function getMembersContext(): Promise<MembersContext> {
  const { activity, invites } = getMemberStores();
  createLimiter ??= adminCreateUserPacing(getStores().rateWindows());
  return {
    cognito: await getCognitoContext(),
    invites,
    activity,
    sessions: getSessionStore(),
    teamLease: teamLease(getStores().teamLock()),
    createLimiter,
    retry: defaultRetryPolicy,
    settleMs: DEFAULT_SETTLE_MS,
    readConcurrency: DEFAULT_READ_CONCURRENCY,
  };
}
