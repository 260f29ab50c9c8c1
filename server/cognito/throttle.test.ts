import { describe, expect, it } from 'vitest';
import { IdentityError } from '@/server/cognito/errors';
import { type RetryPolicy, TokenBucket, withThrottleRetry } from './throttle';

/** A clock that only moves when someone sleeps on it. */
function fakeTime() {
  const time = { now: 0, slept: [] as number[] };
  return {
    time,
    clock: () => time.now,
    sleep: async (ms: number) => {
      time.slept.push(ms);
      time.now += ms;
    },
  };
}

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through at once, then paces callers at the rate', async () => {
    const { time, clock, sleep } = fakeTime();
    const bucket = new TokenBucket(50, 10, clock, sleep);
    for (let i = 0; i < 10; i++) await bucket.take();
    expect(time.slept).toEqual([]);
    await bucket.take();
    expect(time.slept).toEqual([20]);
    // 100 more requests take 2 s of (fake) time: 50 a second.
    for (let i = 0; i < 100; i++) await bucket.take();
    expect(time.now).toBeCloseTo(2020, 5);
  });

  it('serves concurrent callers in order without exceeding the rate together', async () => {
    // All five arrive at the same instant (the clock stands still).
    const slept: number[] = [];
    const bucket = new TokenBucket(
      10,
      1,
      () => 0,
      async (ms) => {
        slept.push(ms);
      },
    );
    await Promise.all(Array.from({ length: 5 }, () => bucket.take()));
    // Each waiter reserved the next free token: 0, 100, 200, 300, 400 ms after the start.
    expect(slept.map(Math.round)).toEqual([100, 200, 300, 400]);
  });
});

describe('withThrottleRetry', () => {
  const throttled = () => new IdentityError('rate_limited', 'Rate exceeded', 'TooManyRequestsException');
  const policy = (slept: number[]): RetryPolicy => ({
    attempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 250,
    random: () => 0.5,
    sleep: async (ms) => {
      slept.push(ms);
    },
  });

  it('retries throttled calls with exponential, capped, jittered delays', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await withThrottleRetry(async () => {
      calls++;
      if (calls < 4) throw throttled();
      return 'done';
    }, policy(slept));
    expect(result).toBe('done');
    expect(slept).toEqual([50, 100, 125]);
  });

  it('gives up after the allowed attempts, and never retries other failures', async () => {
    const slept: number[] = [];
    await expect(withThrottleRetry(() => Promise.reject(throttled()), policy(slept))).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(slept).toHaveLength(3);
    let calls = 0;
    await expect(
      withThrottleRetry(() => {
        calls++;
        return Promise.reject(new IdentityError('member_exists', 'exists'));
      }, policy([])),
    ).rejects.toMatchObject({ code: 'member_exists' });
    expect(calls).toBe(1);
  });
});
