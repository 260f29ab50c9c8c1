// Cognito's lockout after wrong passwords: five in a row are allowed; from then on the user is locked
// out for 1 s, doubling with each further wrong password up to about 15 minutes, and every sign-in
// in that time fails with "Password attempts exceeded", even with the right password. A right
// password resets it. Attempts refused during a lockout are not counted.
import type { ServiceContext } from './context';
import { notAuthorized } from './errors';
import { stmt, writeTransaction } from './sql';
import type { UserRecord } from './store';

export const ALLOWED_FAILURES = 5;
const FIRST_LOCKOUT_MS = 1000;
const MAX_LOCKOUT_MS = 15 * 60 * 1000;

/** How long a user is locked out once `failures` consecutive wrong passwords have been counted. */
export function lockoutMs(failures: number): number {
  if (failures < ALLOWED_FAILURES) return 0;
  return Math.min(FIRST_LOCKOUT_MS * 2 ** Math.min(failures - ALLOWED_FAILURES, 20), MAX_LOCKOUT_MS);
}

/**
 * Claims one password attempt for `user` before the (slow, asynchronous) check runs: refused with
 * "Password attempts exceeded" while locked out; otherwise counted as a failure up front, in one
 * write transaction, so that concurrent attempts cannot all slip in before any of them is counted.
 * `passwordAccepted` takes the count back when the password turns out right.
 */
export function claimPasswordAttempt(ctx: ServiceContext, user: UserRecord): void {
  writeTransaction(ctx.db, () => {
    const now = ctx.now();
    const row = stmt(
      ctx.db,
      'SELECT failed_sign_ins, locked_until FROM users WHERE pool_id = ? AND username_key = ?',
    ).get(user.poolId, user.usernameKey) as
      | { failed_sign_ins: number; locked_until: number | null }
      | undefined;
    if (!row) return;
    if (row.locked_until !== null && now < row.locked_until)
      throw notAuthorized('Password attempts exceeded');
    const failures = row.failed_sign_ins + 1;
    const lockedUntil = failures >= ALLOWED_FAILURES ? now + lockoutMs(failures) : null;
    stmt(
      ctx.db,
      'UPDATE users SET failed_sign_ins = ?, locked_until = ? WHERE pool_id = ? AND username_key = ?',
    ).run(failures, lockedUntil, user.poolId, user.usernameKey);
  });
}

/** The password was right: the consecutive-failure count and any lockout end. */
export function passwordAccepted(ctx: ServiceContext, user: UserRecord): void {
  stmt(
    ctx.db,
    `UPDATE users SET failed_sign_ins = 0, locked_until = NULL
     WHERE pool_id = ? AND username_key = ? AND (failed_sign_ins <> 0 OR locked_until IS NOT NULL)`,
  ).run(user.poolId, user.usernameKey);
}
