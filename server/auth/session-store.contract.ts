// The behaviour every SessionStore implementation owes its callers (STYLE.md, point 13): SQLite and
// DynamoDB. Each implementation's test file calls this with its opener.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openedPerTest } from '@/server/storage/contract.fixture';
import type { NewSessionRecord, SessionStore } from './session-store';

const T0 = Date.UTC(2030, 0, 1, 12);
const HOUR = 3_600_000;

export interface OpenedSessionStore {
  store: SessionStore;
  close(): Promise<void> | void;
}

export function describeSessionStoreContract(name: string, open: () => Promise<OpenedSessionStore>) {
  describe(`session store contract: ${name}`, () => {
    const opening = openedPerTest(open);
    const fresh = async () => (await opening()).store;

    let n = 0;
    const session = (overrides: Partial<NewSessionRecord> = {}): NewSessionRecord => ({
      key: randomBytes(32).toString('base64url'),
      sub: `sub-${++n}`,
      username: `user-${n}`,
      createdAt: T0,
      expiresAt: T0 + 5 * HOUR,
      ...overrides,
    });

    it('creates a live record, last seen at its creation, and finds it by key only', async () => {
      const store = await fresh();
      const record = session();
      await store.create(record);
      expect(await store.get(record.key)).toEqual({ ...record, lastSeenAt: T0, revokedAt: null });
      expect(await store.get(session().key)).toBeNull();
      await expect(store.create({ ...session(), key: record.key })).rejects.toThrow();
      expect(await store.get(record.key)).toMatchObject({ sub: record.sub, username: record.username });
    });

    it('moves lastSeenAt forward, never back, and not on an ended session', async () => {
      const store = await fresh();
      const record = session();
      await store.create(record);
      await store.touch(record.key, T0 + 60_000);
      await store.touch(record.key, T0 + 30_000);
      expect((await store.get(record.key))?.lastSeenAt).toBe(T0 + 60_000);
      await store.revoke(record.key, T0 + 90_000);
      await store.touch(record.key, T0 + 120_000);
      expect(await store.get(record.key)).toMatchObject({ lastSeenAt: T0 + 60_000, revokedAt: T0 + 90_000 });
    });

    it('revokes one session, once; the member’s other sessions stay live', async () => {
      const store = await fresh();
      const first = session();
      const second = session({ sub: first.sub, username: first.username });
      await store.create(first);
      await store.create(second);
      expect(await store.revoke(first.key, T0 + 1_000)).toBe(true);
      expect(await store.revoke(first.key, T0 + 2_000)).toBe(false);
      expect(await store.revoke(session().key, T0 + 2_000)).toBe(false);
      expect((await store.get(first.key))?.revokedAt).toBe(T0 + 1_000);
      expect((await store.get(second.key))?.revokedAt).toBeNull();
    });

    it('revokes every live session of one member, and no one else’s', async () => {
      const store = await fresh();
      const me = { sub: 'sub-me', username: 'me' };
      const [myFirst, ...rest] = [session(me), session(me), session(me)];
      for (const record of [myFirst!, ...rest]) await store.create(record);
      const someoneElse = session();
      await store.create(someoneElse);
      await store.revoke(myFirst!.key, T0 + 1_000);

      expect(await store.revokeAllForMember('me', T0 + 5_000)).toBe(2);
      expect((await store.get(myFirst!.key))?.revokedAt).toBe(T0 + 1_000);
      for (const record of rest) expect((await store.get(record.key))?.revokedAt).toBe(T0 + 5_000);
      expect((await store.get(someoneElse.key))?.revokedAt).toBeNull();
      expect(await store.revokeAllForMember('me', T0 + 6_000)).toBe(0);
      expect(await store.revokeAllForMember('nobody', T0 + 6_000)).toBe(0);
    });

    it('answers with a record whose lifetime is over, with its end, until it is pruned', async () => {
      // Expiry is the caller's to enforce (sessions.ts compares expiresAt with its clock): the store
      // must not pretend an over session is live, nor drop it before pruning says so.
      const store = await fresh();
      const over = session({ expiresAt: T0 + 1 });
      await store.create(over);
      expect(await store.get(over.key)).toEqual({ ...over, lastSeenAt: T0, revokedAt: null });
      expect(await store.pruneExpired(T0)).toBe(0);
      expect(await store.pruneExpired(T0 + 1)).toBe(1);
      expect(await store.get(over.key)).toBeNull();
    });

    it('prunes the records whose lifetime is over, revoked or not, and keeps the rest', async () => {
      const store = await fresh();
      const over = session({ expiresAt: T0 + HOUR });
      const overAndRevoked = session({ expiresAt: T0 + HOUR });
      const endsNow = session({ expiresAt: T0 + 2 * HOUR });
      const live = session({ expiresAt: T0 + 2 * HOUR + 1 });
      for (const record of [over, overAndRevoked, endsNow, live]) await store.create(record);
      await store.revoke(overAndRevoked.key, T0 + 1);

      expect(await store.pruneExpired(T0 + 2 * HOUR)).toBe(3);
      for (const record of [over, overAndRevoked, endsNow]) expect(await store.get(record.key)).toBeNull();
      expect(await store.get(live.key)).toMatchObject({ revokedAt: null });
      expect(await store.pruneExpired(T0 + 2 * HOUR)).toBe(0);
    });
  });
}
