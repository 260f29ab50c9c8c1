import { IdentityError } from './errors';

// The console's one retry layer for Cognito throttling, for every domain that calls Cognito (the
// members rules, sign-in, the data access layer's re-check, sign-out). Cognito's request-rate quotas
// belong to the AWS account; a call it answers with TooManyRequestsException did nothing, so trying
// it again is safe, even for AdminRespondToAuthChallenge (its Session is still unspent). Only that is
// retried, with exponential backoff and full jitter. The SDK client makes one attempt per call
// (./client.ts), so `attempts` is the number of requests Cognito sees, each one counted
// (./call-count.ts). AdminCreateUser is also paced before it is sent (a RateLimiter, shared by the
// console's instances through their stores: server/members/invite-pacing.ts).

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  take(): Promise<void>;
}

/**
 * A token bucket: `ratePerSecond` tokens a second, at most `capacity` saved up. A caller that finds
 * it empty reserves the next token (the level goes negative) and waits for it, so waiters are served
 * in arrival order and never exceed the rate together.
 */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly clock: () => number = () => performance.now(),
    private readonly sleep: Sleep = realSleep,
  ) {
    this.tokens = capacity;
    this.updatedAt = clock();
  }

  async take(): Promise<void> {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) * this.ratePerSecond) / 1000);
    this.updatedAt = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    await this.sleep((-this.tokens * 1000) / this.ratePerSecond);
  }
}

/** AdminCreateUser's quota: the account's "user creation" requests per second (invite and resend). */
export const ADMIN_CREATE_USER_RATE = 50;

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: Sleep;
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  sleep: realSleep,
  random: Math.random,
};

/**
 * Cognito said "too many requests": nothing happened, so trying again is safe. Not a lockout
 * (TooManyFailedAttemptsException): that one stays until its time is up, and a retry only spends calls.
 */
export function isThrottled(error: unknown): boolean {
  return (
    error instanceof IdentityError &&
    error.code === 'rate_limited' &&
    error.source === 'TooManyRequestsException'
  );
}

/**
 * Runs `call` (after `limiter`, when given, lets it through) and retries it while Cognito answers
 * that it is throttled, waiting a random time up to base * 2^attempt (capped) between tries.
 */
export async function withThrottleRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  limiter?: RateLimiter,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    await limiter?.take();
    try {
      return await call();
    } catch (error) {
      if (!isThrottled(error) || attempt + 1 >= policy.attempts) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      await policy.sleep(policy.random() * ceiling);
    }
  }
}
