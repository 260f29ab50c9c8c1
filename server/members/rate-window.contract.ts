// The behaviour every RateWindowStore implementation owes its callers (STYLE.md, point 13): SQLite and
// DynamoDB. Each implementation's test file calls this with its opener. The pacing tests run the
// console's limiter (./invite-pacing) on the store under a clock the test moves, not real time.
import { describe, expect, it } from 'vitest';
import { openedPerTest } from '@/server/storage/contract.fixture';
import { sharedRateLimiter } from './invite-pacing';
import type { RateWindowRequest, RateWindowStore } from './rate-window';

const T0 = Date.UTC(2030, 0, 1, 12);

export interface OpenedRateWindows {
  /** A store on fresh, empty data. */
  store: RateWindowStore;
  /** Another store on the same data: a second console instance. */
  another(): Promise<RateWindowStore>;
  close(): Promise<void> | void;
}

/**
 * Time that moves only when every worker is asleep, and then to the earliest wake-up: the workers'
 * store calls are real, their waits cost nothing, and what lands in which second is exact.
 */
class VirtualTime {
  now: number;
  private timers: Array<{ at: number; wake: () => void }> = [];
  private running = 0;

  constructor(start: number) {
    this.now = start;
  }

  readonly clock = () => this.now;

  readonly sleep = (ms: number) =>
    new Promise<void>((wake) => {
      this.timers.push({ at: this.now + Math.max(0, ms), wake });
      this.advanceIfIdle();
    });

  async run(workers: Array<() => Promise<void>>): Promise<void> {
    this.running = workers.length;
    await Promise.all(
      workers.map(async (work) => {
        try {
          await work();
        } finally {
          this.running--;
          this.advanceIfIdle();
        }
      }),
    );
  }

  private advanceIfIdle() {
    if (this.timers.length === 0 || this.timers.length < this.running) return;
    this.now = Math.max(this.now, Math.min(...this.timers.map((timer) => timer.at)));
    const due = this.timers.filter((timer) => timer.at <= this.now);
    this.timers = this.timers.filter((timer) => timer.at > this.now);
    for (const timer of due) timer.wake();
  }
}

/** How many of `times` fall in each second from T0 on. */
function perSecond(times: readonly number[]): number[] {
  const counts: number[] = [];
  for (const at of times) {
    const second = Math.floor((at - T0) / 1000);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return Array.from(counts, (count) => count ?? 0);
}

export function describeRateWindowContract(name: string, open: () => Promise<OpenedRateWindows>) {
  describe(`rate window contract: ${name}`, () => {
    const fresh = openedPerTest(open);
    const take = (now: number, limit = 3, windowMs = 1_000): RateWindowRequest => ({
      name: 'AdminCreateUser',
      limit,
      windowMs,
      now,
    });

    it('counts takes up to the limit in a window, then says when the next window starts', async () => {
      const { store } = await fresh();
      for (const at of [T0, T0 + 10, T0 + 999]) expect(await store.take(take(at))).toEqual({ taken: true });
      expect(await store.take(take(T0 + 999))).toEqual({ taken: false, retryAfterMs: 1 });
      expect(await store.take(take(T0 + 400))).toEqual({ taken: false, retryAfterMs: 600 });
      // The next window starts empty.
      expect(await store.take(take(T0 + 1_000))).toEqual({ taken: true });
    });

    it('shares one count between instances on the same data', async () => {
      const { store, another } = await fresh();
      const other = await another();
      expect(await store.take(take(T0, 2))).toEqual({ taken: true });
      expect(await other.take(take(T0 + 1, 2))).toEqual({ taken: true });
      expect(await store.take(take(T0 + 2, 2))).toEqual({ taken: false, retryAfterMs: 998 });
      expect(await other.take(take(T0 + 3, 2))).toEqual({ taken: false, retryAfterMs: 997 });
    });

    it('of takes racing from three instances into one window, exactly the limit are counted', async () => {
      const { store, another } = await fresh();
      const stores = [store, await another(), await another()];
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => stores[i % 3]!.take(take(T0 + 100, 20))),
      );
      expect(results.filter((r) => r.taken)).toHaveLength(20);
      expect(results.filter((r) => !r.taken)).toEqual(Array(10).fill({ taken: false, retryAfterMs: 900 }));
    });

    it('keeps names and window lengths apart, and never counts a window that is over', async () => {
      const { store } = await fresh();
      expect(await store.take(take(T0, 1))).toEqual({ taken: true });
      expect(await store.take(take(T0, 1))).toMatchObject({ taken: false });
      expect(await store.take({ ...take(T0, 1), name: 'Other' })).toEqual({ taken: true });
      expect(await store.take(take(T0, 1, 60_000))).toEqual({ taken: true });
      expect(await store.take(take(T0 + 30_000, 1, 60_000))).toEqual({ taken: false, retryAfterMs: 30_000 });
      // Long after, the full window of T0 is history: the window holding `now` is all that counts.
      expect(await store.take(take(T0 + 2 * 3_600_000, 1))).toEqual({ taken: true });
      expect(await store.take(take(T0 + 2 * 3_600_000 + 1, 1))).toMatchObject({ taken: false });
    });

    it('refuses a request it cannot honour, saying why', async () => {
      const { store } = await fresh();
      await expect(store.take({ ...take(T0), name: '' })).rejects.toThrow('the limit needs a name');
      await expect(store.take(take(T0, 0))).rejects.toThrow('limit must be a whole number above 0');
      await expect(store.take(take(T0, 1, 0))).rejects.toThrow('windowMs must be a whole number');
      await expect(store.take(take(T0 + 0.5))).rejects.toThrow('now must be a whole number');
    });

    describe('the console pacing AdminCreateUser on it (50 a second)', () => {
      /** 120 takes from `limiters`, 6 workers each taking in a loop; the instants they were let through. */
      async function pace(limitersOn: RateWindowStore[], time: VirtualTime) {
        const granted: Array<{ at: number; instance: number }> = [];
        const limiters = limitersOn.map((store) =>
          sharedRateLimiter(store, {
            name: 'AdminCreateUser',
            ratePerSecond: 50,
            burst: 10,
            now: time.clock,
            sleep: time.sleep,
          }),
        );
        const workers = Array.from({ length: 12 }, (_, w) => async () => {
          const instance = w % limiters.length;
          for (let i = 0; i < 10; i++) {
            await limiters[instance]!.take();
            granted.push({ at: time.now, instance });
          }
        });
        await time.run(workers);
        return granted;
      }

      it('lets no one-second window get more than 50 from two instances together', async () => {
        const { store, another } = await fresh();
        const time = new VirtualTime(T0);
        const granted = await pace([store, await another()], time);

        expect(granted).toHaveLength(120);
        // Each instance alone would send 50 a second (100 together); the store keeps them to 50.
        expect(perSecond(granted.map((g) => g.at))).toEqual([50, 50, 20]);
        expect(new Set(granted.map((g) => g.instance))).toEqual(new Set([0, 1]));
      });

      it('(the same two instances on separate data would send twice the quota: the cap is the store)', async () => {
        const first = await fresh();
        const second = await fresh();
        const time = new VirtualTime(T0);
        const granted = await pace([first.store, second.store], time);

        expect(granted).toHaveLength(120);
        expect(Math.max(...perSecond(granted.map((g) => g.at)))).toBe(100);
      });
    });
  });
}
