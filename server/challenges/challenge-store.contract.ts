// The behaviour every ChallengeStore implementation owes its callers (STYLE.md, point 13): SQLite and
// DynamoDB. Each implementation's test file calls this with its opener.
import { describe, expect, it } from 'vitest';
import { openedPerTest } from '@/server/storage/contract.fixture';
import {
  hashSecret,
  issueSignInLink,
  LINK_TTL_MS,
  MAX_EMAILS_PER_HOUR,
  MIN_SEND_INTERVAL_MS,
  newSecret,
} from './links';
import type { ChallengeStore, StoredLink } from './port';

const ALICE = { username: 'alice-id', email: 'alice@example.com' };
const BOB = { username: 'bob-id', email: 'bob@example.com' };
const PUBLIC_URL = 'https://studio.example.com';
const T0 = Date.UTC(2030, 0, 1, 12);
const MINUTE = MIN_SEND_INTERVAL_MS;
const PACING = { minIntervalMs: MIN_SEND_INTERVAL_MS, maxPerHour: MAX_EMAILS_PER_HOUR };

export interface OpenedChallengeStores {
  /** A store on fresh, empty data. */
  store: ChallengeStore;
  /** Another store on the same data: a second console instance. */
  another(): Promise<ChallengeStore>;
  close(): Promise<void> | void;
}

export function describeChallengeStoreContract(name: string, open: () => Promise<OpenedChallengeStores>) {
  describe(`challenge store contract: ${name}`, () => {
    const fresh = openedPerTest(open);

    async function issue(store: ChallengeStore, member = ALICE, now = T0) {
      const link = await issueSignInLink(store, member, { publicUrl: PUBLIC_URL, now });
      if (!link) throw new Error('expected a link');
      return link;
    }
    const emailed = (overrides: Partial<StoredLink> = {}): StoredLink => ({
      secretHash: hashSecret(newSecret()),
      ...ALICE,
      createdAt: T0,
      expiresAt: T0 + LINK_TTL_MS,
      channel: 'email',
      ...overrides,
    });

    it('signs in the member once with a fresh link', async () => {
      const { store } = await fresh();
      const link = await issue(store);
      expect(link.expiresAt).toBe(T0 + LINK_TTL_MS);
      const hash = hashSecret(link.secret);
      expect(await store.inspect(hash, T0 + 1000)).toEqual({
        state: 'valid',
        username: ALICE.username,
        email: ALICE.email,
        expiresAt: T0 + LINK_TTL_MS,
      });
      expect(await store.consume(hash, ALICE.username, T0 + 1000)).toEqual({
        consumed: true,
        username: ALICE.username,
        email: ALICE.email,
      });
      expect(await store.consume(hash, ALICE.username, T0 + 2000)).toEqual({
        consumed: false,
        reason: 'used',
      });
      expect(await store.inspect(hash, T0 + 2000)).toEqual({ state: 'used', email: ALICE.email });
    });

    it('inspecting a link does not spend it', async () => {
      const { store } = await fresh();
      const hash = hashSecret((await issue(store)).secret);
      for (let i = 0; i < 3; i++) expect((await store.inspect(hash, T0)).state).toBe('valid');
      expect((await store.consume(hash, ALICE.username, T0)).consumed).toBe(true);
    });

    it('refuses an expired link, at exactly 15 minutes', async () => {
      const { store } = await fresh();
      const hash = hashSecret((await issue(store)).secret);
      expect(await store.consume(hash, ALICE.username, T0 + LINK_TTL_MS)).toEqual({
        consumed: false,
        reason: 'expired',
      });
      expect(await store.inspect(hash, T0 + LINK_TTL_MS)).toEqual({ state: 'expired', email: ALICE.email });
      // Refused, not spent: the store's clock decides, whatever the table's housekeeping has done.
      expect((await store.inspect(hash, T0 + LINK_TTL_MS - 1)).state).toBe('valid');
    });

    it('refuses a secret with one character changed', async () => {
      const { store } = await fresh();
      const { secret } = await issue(store);
      const last = secret.at(-1) === 'A' ? 'B' : 'A';
      const altered = hashSecret(`${secret.slice(0, -1)}${last}`);
      expect(await store.consume(altered, ALICE.username, T0)).toEqual({
        consumed: false,
        reason: 'unknown',
      });
      expect(await store.inspect(altered, T0)).toEqual({ state: 'unknown' });
      expect((await store.inspect(hashSecret(secret), T0)).state).toBe('valid');
    });

    it("spends, but refuses, member A's link presented for member B", async () => {
      const { store } = await fresh();
      const hash = hashSecret((await issue(store, ALICE)).secret);
      expect(await store.consume(hash, BOB.username, T0)).toEqual({
        consumed: false,
        reason: 'wrong-member',
      });
      expect(await store.consume(hash, ALICE.username, T0)).toEqual({ consumed: false, reason: 'used' });
    });

    it('keeps one live link per member: a newer link, from any instance, retires the older', async () => {
      const { store, another } = await fresh();
      const other = await another();
      const older = hashSecret((await issue(store, ALICE, T0)).secret);
      const newer = hashSecret((await issue(other, ALICE, T0 + MINUTE)).secret);
      expect(await store.inspect(older, T0 + MINUTE)).toEqual({ state: 'replaced', email: ALICE.email });
      expect(await store.consume(older, ALICE.username, T0 + MINUTE)).toEqual({
        consumed: false,
        reason: 'replaced',
      });
      expect((await store.consume(newer, ALICE.username, T0 + MINUTE)).consumed).toBe(true);
    });

    it('refuses a second link within 60 seconds and stores nothing', async () => {
      const { store } = await fresh();
      const first = hashSecret((await issue(store, ALICE, T0)).secret);
      expect(
        await issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now: T0 + MINUTE - 1 }),
      ).toBeUndefined();
      const refused = emailed({ createdAt: T0 + 30_000 });
      expect(await store.put(refused, { minIntervalMs: MINUTE })).toEqual({
        stored: false,
        reason: 'interval',
        retryAfterMs: 30_000,
      });
      expect(await store.inspect(refused.secretHash, T0 + 30_000)).toEqual({ state: 'unknown' });
      // The first link is untouched, and other members are not held back.
      expect((await store.inspect(first, T0 + MINUTE - 1)).state).toBe('valid');
      expect(await issueSignInLink(store, BOB, { publicUrl: PUBLIC_URL, now: T0 + 1 })).toBeDefined();
    });

    it('lets the operator CLI mint at any time, and its links do not hold an email back', async () => {
      const { store } = await fresh();
      await issue(store, ALICE, T0);
      const operator = (now: number) =>
        issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now, channel: 'operator' });
      const minted = await operator(T0 + 1);
      expect(minted).toBeDefined();
      expect(await issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now: T0 + 2 })).toBeUndefined();
      expect(await operator(T0 + MINUTE)).toBeDefined();
      const mailed = await issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now: T0 + MINUTE + 1 });
      expect(mailed).toBeDefined();
      // One live link per member whatever the channel: the email replaced the operator links.
      expect((await store.inspect(hashSecret(mailed!.secret), T0 + MINUTE + 1)).state).toBe('valid');
      expect((await store.inspect(hashSecret(minted!.secret), T0 + MINUTE + 1)).state).toBe('replaced');
    });

    it('emails a member at most five links an hour, counted across instances', async () => {
      const { store, another } = await fresh();
      const other = await another();
      for (let i = 0; i < MAX_EMAILS_PER_HOUR; i++)
        await issue(i % 2 ? other : store, ALICE, T0 + i * MINUTE);
      const sixth = T0 + 10 * MINUTE;
      expect(await issueSignInLink(other, ALICE, { publicUrl: PUBLIC_URL, now: sixth })).toBeUndefined();
      expect(await store.put(emailed({ createdAt: sixth }), PACING)).toEqual({
        stored: false,
        reason: 'hourly',
        retryAfterMs: 50 * MINUTE,
      });
      // Other members and the operator are not held back.
      expect(await issueSignInLink(store, BOB, { publicUrl: PUBLIC_URL, now: sixth })).toBeDefined();
      const operator = { publicUrl: PUBLIC_URL, now: T0 + 11 * MINUTE, channel: 'operator' as const };
      expect(await issueSignInLink(other, ALICE, operator)).toBeDefined();
      // An hour after the first email, one more may go.
      expect(
        await issueSignInLink(store, ALICE, { publicUrl: PUBLIC_URL, now: T0 + 60 * MINUTE - 1 }),
      ).toBeUndefined();
      expect(
        await issueSignInLink(other, ALICE, { publicUrl: PUBLIC_URL, now: T0 + 60 * MINUTE }),
      ).toBeDefined();
    });

    it('of two instances sending a link at the same moment, one is refused', async () => {
      const { store, another } = await fresh();
      const other = await another();
      const results = await Promise.all([store.put(emailed(), PACING), other.put(emailed(), PACING)]);
      expect(results.filter((r) => r.stored)).toHaveLength(1);
      expect(results.find((r) => !r.stored)).toEqual({
        stored: false,
        reason: 'interval',
        retryAfterMs: MINUTE,
      });
    });

    it('of many sends racing on two instances, no more than the hourly cap go', async () => {
      const { store, another } = await fresh();
      const other = await another();
      const limits = { minIntervalMs: 0, maxPerHour: MAX_EMAILS_PER_HOUR };
      const links = Array.from({ length: 12 }, () => emailed());
      const results = await Promise.all(links.map((link, i) => (i % 2 ? other : store).put(link, limits)));
      expect(results.filter((r) => r.stored)).toHaveLength(MAX_EMAILS_PER_HOUR);
      expect(new Set(results.filter((r) => !r.stored).map((r) => !r.stored && r.reason))).toEqual(
        new Set(['hourly']),
      );
      // Whatever the order they landed in, exactly one of the stored links is live.
      const states = await Promise.all(links.map((link) => store.inspect(link.secretHash, T0 + 1)));
      expect(states.filter((s) => s.state === 'valid')).toHaveLength(1);
    });

    it('of concurrent consumes of one link on two instances, exactly one wins', async () => {
      const { store, another } = await fresh();
      const other = await another();
      const hash = hashSecret((await issue(store)).secret);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).consume(hash, ALICE.username, T0 + 1)),
      );
      expect(results.filter((r) => r.consumed)).toHaveLength(1);
      expect(results.filter((r) => !r.consumed)).toEqual(Array(5).fill({ consumed: false, reason: 'used' }));
    });

    it('invalidate retires the live link, on every instance', async () => {
      const { store, another } = await fresh();
      const hash = hashSecret((await issue(store)).secret);
      await (await another()).invalidate(ALICE.username, T0 + 1);
      expect(await store.consume(hash, ALICE.username, T0 + 2)).toEqual({
        consumed: false,
        reason: 'replaced',
      });
      await store.invalidate(BOB.username, T0 + 3);
      expect(await store.inspect(hash, T0 + 3)).toEqual({ state: 'replaced', email: ALICE.email });
    });
  });
}
