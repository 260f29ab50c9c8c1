// The behaviour every TeamLock implementation owes its callers (STYLE.md, point 13): SQLite and
// DynamoDB. Each implementation's test file calls this with its opener.
import { describe, expect, it } from 'vitest';
import { openedPerTest } from '@/server/storage/contract.fixture';
import type { LeaseRequest, TeamLock } from './team-lock';

const T0 = Date.UTC(2030, 0, 1, 12);
const TTL = 10_000;

export interface OpenedTeamLocks {
  /** A lock on fresh, empty data. */
  lock: TeamLock;
  /** Another lock on the same data: a second console instance. */
  another(): Promise<TeamLock>;
  close(): Promise<void> | void;
}

export function describeTeamLockContract(name: string, open: () => Promise<OpenedTeamLocks>) {
  describe(`team lock contract: ${name}`, () => {
    const fresh = openedPerTest(open);
    const lease = (owner: string, now = T0, ttlMs = TTL): LeaseRequest => ({
      name: 'team',
      owner,
      now,
      ttlMs,
    });

    it('refuses a lease held by one instance to another until it expires', async () => {
      const { lock, another } = await fresh();
      const other = await another();
      expect(await lock.acquire(lease('a'))).toEqual({ acquired: true, expiresAt: T0 + TTL });
      expect(await other.acquire(lease('b', T0 + 1))).toEqual({ acquired: false, retryAfterMs: TTL - 1 });
      expect(await other.acquire(lease('b', T0 + TTL - 1))).toEqual({ acquired: false, retryAfterMs: 1 });
      // The holder crashed and never released: at its end the lease is anyone's.
      expect(await other.acquire(lease('b', T0 + TTL))).toEqual({ acquired: true, expiresAt: T0 + 2 * TTL });
      expect(await lock.acquire(lease('a', T0 + TTL + 1))).toEqual({
        acquired: false,
        retryAfterMs: TTL - 1,
      });
      expect(await lock.renew(lease('a', T0 + TTL + 1))).toBe(false);
    });

    it('lets its holder take it again and renew it, and no one else', async () => {
      const { lock, another } = await fresh();
      const other = await another();
      await lock.acquire(lease('a'));
      expect(await other.acquire(lease('a', T0 + 1_000))).toEqual({
        acquired: true,
        expiresAt: T0 + 1_000 + TTL,
      });
      expect(await other.renew(lease('b', T0 + 2_000))).toBe(false);
      expect(await lock.renew(lease('a', T0 + 5_000))).toBe(true);
      expect(await other.acquire(lease('b', T0 + TTL + 1_000))).toEqual({
        acquired: false,
        retryAfterMs: 4_000,
      });
      // Renewing an expired lease is refused even when no one took it: the holder may have lost it.
      expect(await lock.renew(lease('a', T0 + 5_000 + TTL))).toBe(false);
    });

    it('is free at once when its holder releases it; a stranger cannot release it', async () => {
      const { lock, another } = await fresh();
      const other = await another();
      await lock.acquire(lease('a'));
      expect(await other.release({ name: 'team', owner: 'b' })).toBe(false);
      expect((await other.acquire(lease('b', T0 + 1))).acquired).toBe(false);
      expect(await lock.release({ name: 'team', owner: 'a' })).toBe(true);
      expect(await lock.release({ name: 'team', owner: 'a' })).toBe(false);
      expect(await other.acquire(lease('b', T0 + 2))).toEqual({ acquired: true, expiresAt: T0 + 2 + TTL });
    });

    it('keeps locks of different names apart', async () => {
      const { lock } = await fresh();
      await lock.acquire(lease('a'));
      expect(await lock.acquire({ ...lease('b'), name: 'other' })).toEqual({
        acquired: true,
        expiresAt: T0 + TTL,
      });
    });

    it('of instances racing for a free lease, exactly one gets it', async () => {
      const { lock, another } = await fresh();
      const locks = [lock, await another(), await another()];
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => locks[i % 3]!.acquire(lease(`owner-${i}`, T0))),
      );
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
      expect(results.filter((r) => !r.acquired)).toEqual(
        Array(5).fill({ acquired: false, retryAfterMs: TTL }),
      );
    });

    it('refuses a request it cannot honour, saying why', async () => {
      const { lock } = await fresh();
      await expect(lock.acquire(lease('a', T0, 0))).rejects.toThrow(
        'ttlMs must be a whole number of ms above 0',
      );
      await expect(lock.acquire(lease(''))).rejects.toThrow('the lease needs an owner');
      await expect(lock.renew({ ...lease('a'), name: '' })).rejects.toThrow('the lock needs a name');
    });
  });
}
