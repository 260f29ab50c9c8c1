import { randomBytes } from 'node:crypto';
import type { TeamLock } from './team-lock';

// The team lease around a last-admin read-check-write (demote, disable or delete a Full-access
// member): held across every console instance on the same store, so two instances cannot each see
// "another Full-access member remains" and together take out both. Inside one process the
// SerialQueue (./rules) already orders such changes; the lease orders them between processes.

export interface TeamLease {
  lock: TeamLock;
  /** How long one holder keeps the lease at most; a crashed holder's lease ends after this. */
  ttlMs: number;
  /** How long a caller waits for another holder before giving up. */
  maxWaitMs: number;
  now: () => number;
  /** Waits `ms` (a test passes its own to step the wait). */
  sleep: (ms: number) => Promise<void>;
}

export const TEAM_LEASE_TTL_MS = 10_000;
export const TEAM_LEASE_MAX_WAIT_MS = 15_000;

export class TeamBusyError extends Error {
  constructor() {
    super('Another change to Full access is in progress. Try again in a few seconds.');
    this.name = 'TeamBusyError';
  }
}

/** The lock name: one lease per user pool (one team). */
export function teamLockName(poolId: string): string {
  return `team#${poolId}`;
}

/**
 * Runs `task` while holding the team's lease: acquire (waiting while another holder has it, up to
 * maxWaitMs), run, release in finally. Throws TeamBusyError when the lease stays taken.
 */
export async function withTeamLease<T>(lease: TeamLease, name: string, task: () => Promise<T>): Promise<T> {
  const owner = randomBytes(12).toString('base64url');
  const deadline = lease.now() + lease.maxWaitMs;
  for (;;) {
    const now = lease.now();
    const attempt = await lease.lock.acquire({ name, owner, now, ttlMs: lease.ttlMs });
    if (attempt.acquired) break;
    const left = deadline - now;
    if (left <= 0) throw new TeamBusyError();
    await lease.sleep(Math.max(1, Math.min(attempt.retryAfterMs, 250, left)));
  }
  try {
    return await task();
  } finally {
    await lease.lock.release({ name, owner });
  }
}

/** Real time, for the console. */
export function teamLease(lock: TeamLock): TeamLease {
  return {
    lock,
    ttlMs: TEAM_LEASE_TTL_MS,
    maxWaitMs: TEAM_LEASE_MAX_WAIT_MS,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
}
