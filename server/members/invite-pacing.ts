import {
  ADMIN_CREATE_USER_RATE,
  type RateLimiter,
  realSleep,
  type Sleep,
  TokenBucket,
} from '@/server/cognito/throttle';
import type { RateWindowStore } from './rate-window';

// Pacing of AdminCreateUser (invite and resend). Cognito's quota for it belongs to the AWS account,
// so the pace is kept in the stores every console instance shares (./rate-window): no one-second
// window gets more than the quota's takes, however many instances send. In front of it, each process
// smooths its own sends with a small token bucket, so one instance does not spend a whole second's
// quota in its first milliseconds. What still comes back throttled (other apps and tools on the
// account) is retried by the retry layer (server/cognito/throttle.ts).

export interface SharedLimiterOptions {
  /** The limit's name in the store, e.g. 'AdminCreateUser'. */
  name: string;
  /** Takes per second across every instance on the store. */
  ratePerSecond: number;
  /** This process's own smoothing: at most this many at once, then `ratePerSecond`; 0 for none. */
  burst: number;
  now?: () => number;
  sleep?: Sleep;
}

/**
 * A RateLimiter whose cap is the store's: `take()` resolves once the store has counted the caller in
 * a one-second window that was not yet full, waiting for the next window while the current one is.
 */
export function sharedRateLimiter(store: RateWindowStore, options: SharedLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const smoothing =
    options.burst > 0 ? new TokenBucket(options.ratePerSecond, options.burst, now, sleep) : undefined;
  return {
    async take() {
      await smoothing?.take();
      for (;;) {
        const result = await store.take({
          name: options.name,
          limit: options.ratePerSecond,
          windowMs: 1_000,
          now: Math.floor(now()),
        });
        if (result.taken) return;
        await sleep(result.retryAfterMs);
      }
    },
  };
}

export const ADMIN_CREATE_USER_LIMIT_NAME = 'AdminCreateUser';

/** The console's pacing of AdminCreateUser on `store`, shared with every instance using it. */
export function adminCreateUserPacing(store: RateWindowStore): RateLimiter {
  return sharedRateLimiter(store, {
    name: ADMIN_CREATE_USER_LIMIT_NAME,
    ratePerSecond: ADMIN_CREATE_USER_RATE,
    burst: 10,
  });
}
