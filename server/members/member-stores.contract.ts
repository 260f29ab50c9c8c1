// The behaviour every MemberStores implementation owes its callers (STYLE.md, point 13): SQLite and
// DynamoDB. Each implementation's test file calls this with its opener.
import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '@/lib/members';
import { openedPerTest } from '@/server/storage/contract.fixture';
import type { MemberStores } from './stores';

export interface OpenedMemberStores {
  /** Stores on fresh, empty data. */
  stores: MemberStores;
  /** Other stores on the same data: a second console instance. */
  another(): Promise<MemberStores>;
  close(): Promise<void> | void;
}

export function describeMemberStoresContract(name: string, open: () => Promise<OpenedMemberStores>) {
  describe(`member stores contract: ${name}`, () => {
    const fresh = openedPerTest(open);

    it('records an entry as given, lower-casing the emails, and lists it on another instance', async () => {
      const { stores, another } = await fresh();
      const recorded = await stores.activity.record({
        actorEmail: 'Admin@Example.com',
        action: 'invite',
        targetEmail: 'Ana@Example.com',
        detail: 'Manage only',
        outcome: 'success',
        message: null,
        at: Date.parse('2026-01-02T03:04:05Z'),
      });
      const expected = {
        id: expect.any(String),
        at: '2026-01-02T03:04:05.000Z',
        actorEmail: 'admin@example.com',
        action: 'invite',
        targetEmail: 'ana@example.com',
        detail: 'Manage only',
        outcome: 'success',
        message: null,
      };
      expect(recorded).toEqual(expected);
      const other = await another();
      expect((await other.activity.list({ limit: 10 })).entries).toEqual([{ ...expected, id: recorded.id }]);
      expect((await other.activity.list({ member: 'ana@example.com', limit: 10 })).entries).toEqual([
        { ...expected, id: recorded.id },
      ]);
    });

    it('lists activity newest first, a page at a time, for one member as actor or target', async () => {
      const { stores } = await fresh();
      const recorded: ActivityEntry[] = [];
      const log = async (actorEmail: string, targetEmail: string | null, at: number) => {
        recorded.push(
          await stores.activity.record({
            actorEmail,
            action: targetEmail ? 'change-level' : 'sign-in',
            targetEmail,
            detail: null,
            outcome: i % 3 ? 'success' : 'failure',
            message: i % 3 ? null : 'Refused',
            at,
          }),
        );
      };
      let i = 0;
      for (; i < 10; i++) {
        await log('admin@example.com', i % 2 ? 'ana@example.com' : 'bo@example.com', 1000 + 2 * i);
        await log('ana@example.com', null, 1001 + 2 * i);
      }
      // Ana's own sign-in and a change made to her by herself count once.
      await log('ana@example.com', 'ana@example.com', 5000);
      const newestFirst = [...recorded].reverse();
      const anas = newestFirst.filter(
        (e) => e.actorEmail === 'ana@example.com' || e.targetEmail === 'ana@example.com',
      );

      const seen: ActivityEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await stores.activity.list({ member: 'ANA@example.com', cursor, limit: 4 });
        expect(page.entries.length).toBeLessThanOrEqual(4);
        seen.push(...page.entries);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(anas);
      expect(seen).toHaveLength(16);

      const everything = await stores.activity.list({ limit: 100 });
      expect(everything.entries).toEqual(newestFirst);
      expect(everything.nextCursor).toBeUndefined();
      const firstTwo = await stores.activity.list({ limit: 2 });
      expect(firstTwo.entries).toEqual(newestFirst.slice(0, 2));
      expect((await stores.activity.list({ cursor: firstTwo.nextCursor, limit: 2 })).entries).toEqual(
        newestFirst.slice(2, 4),
      );
      // A cursor that is not one of ours starts from the newest.
      expect((await stores.activity.list({ cursor: '!!', limit: 1 })).entries).toEqual(
        newestFirst.slice(0, 1),
      );
      expect((await stores.activity.list({ member: 'nobody@example.com', limit: 5 })).entries).toEqual([]);
    });

    it('keeps one invitation record per email, and pages the failed ones', async () => {
      const { stores, another } = await fresh();
      const { invites } = stores;
      for (const [i, email] of ['c@x.com', 'a@x.com', 'b@x.com', 'd@x.com'].entries()) {
        await invites.recordInvitation({
          email,
          username: `u-${email}`,
          invitedBy: 'Admin@x.com',
          accessLevel: 'manage',
          delivery: email === 'd@x.com' ? 'sent' : 'failed',
          deliveryError: 'Unable to deliver the message to the user.',
          at: 1000 + i,
        });
      }
      await invites.recordDelivery('b@x.com', {
        username: 'u-b@x.com',
        invitedBy: 'other@x.com',
        delivery: 'sent',
        deliveryError: null,
        at: 5000,
      });
      await invites.recordLevel('a@x.com', { username: 'u-a@x.com', accessLevel: 'full', at: 6000 });
      await invites.recordLevel('new@x.com', { username: 'u-new', accessLevel: 'manage', at: 7000 });
      await invites.recordDelivery('d@x.com', {
        username: 'u-d@x.com',
        invitedBy: 'admin@x.com',
        delivery: 'failed',
        deliveryError: 'Mailbox full',
        at: 8000,
      });

      const found = await (await another()).invites.getMany([
        'A@x.com',
        'b@x.com',
        'new@x.com',
        'none@x.com',
      ]);
      expect(found.get('a@x.com')).toEqual({
        email: 'a@x.com',
        username: 'u-a@x.com',
        invitedBy: 'admin@x.com',
        accessLevel: 'full',
        delivery: 'failed',
        deliveryError: 'Unable to deliver the message to the user.',
        invitedAt: 1001,
        changedAt: 6000,
      });
      expect(found.get('b@x.com')).toMatchObject({
        invitedBy: 'other@x.com',
        accessLevel: 'manage',
        delivery: 'sent',
        deliveryError: null,
        invitedAt: 5000,
      });
      expect(found.get('new@x.com')).toEqual({
        email: 'new@x.com',
        username: 'u-new',
        invitedBy: null,
        accessLevel: 'manage',
        delivery: null,
        deliveryError: null,
        invitedAt: null,
        changedAt: 7000,
      });
      expect(found.has('none@x.com')).toBe(false);

      const first = await invites.listFailed({ limit: 1 });
      expect(first.records.map((r) => r.email)).toEqual(['a@x.com']);
      const rest = await invites.listFailed({ after: first.next, limit: 5 });
      expect(rest.records.map((r) => r.email)).toEqual(['c@x.com', 'd@x.com']);
      expect(rest.next).toBeUndefined();
      expect((await invites.listFailed({ after: 'c@x.com', limit: 1 })).records.map((r) => r.email)).toEqual([
        'd@x.com',
      ]);

      expect((await invites.listFailed({ prefix: 'C', limit: 5 })).records.map((r) => r.email)).toEqual([
        'c@x.com',
      ]);
      expect((await invites.listFailed({ prefix: 'b', limit: 5 })).records).toEqual([]);
      expect((await invites.listFailed({ prefix: 'a', after: 'c@x.com', limit: 5 })).records).toEqual([]);

      await invites.remove('A@x.com');
      expect((await invites.listFailed({ limit: 5 })).records.map((r) => r.email)).toEqual([
        'c@x.com',
        'd@x.com',
      ]);
      expect((await invites.getMany(['a@x.com'])).size).toBe(0);
    });

    it('marks a bounced invitation failed once, and never one sent after the mail that bounced', async () => {
      const { stores, another } = await fresh();
      const { invites } = stores;
      const invite = (email: string, at: number) =>
        invites.recordInvitation({
          email,
          username: `u-${email}`,
          invitedBy: 'admin@x.com',
          accessLevel: 'manage',
          delivery: 'sent',
          deliveryError: null,
          at,
        });
      await invite('bounced@x.com', 1000);
      await invite('reinvited@x.com', 900_000);
      await invites.recordLevel('level-only@x.com', { username: 'u', accessLevel: 'full', at: 1000 });

      const other = await another();
      const marked = await other.invites.recordBounce('Bounced@x.com', {
        reason: 'The address does not exist (550 5.1.1 user unknown).',
        invitedNoLaterThan: 1000,
      });
      expect(marked).toEqual({
        email: 'bounced@x.com',
        username: 'u-bounced@x.com',
        invitedBy: 'admin@x.com',
        accessLevel: 'manage',
        delivery: 'failed',
        deliveryError: 'The address does not exist (550 5.1.1 user unknown).',
        invitedAt: 1000,
        changedAt: 1000,
      });
      // SES may tell twice; the second changes nothing.
      expect(
        await invites.recordBounce('bounced@x.com', { reason: 'again', invitedNoLaterThan: 5000 }),
      ).toBeNull();
      expect((await invites.getMany(['bounced@x.com'])).get('bounced@x.com')?.deliveryError).toBe(
        'The address does not exist (550 5.1.1 user unknown).',
      );
      expect((await invites.listFailed({ limit: 5 })).records.map((r) => r.email)).toEqual(['bounced@x.com']);

      // The bounced mail is older than the last invitation: that invitation's own email may arrive.
      expect(
        await invites.recordBounce('reinvited@x.com', { reason: 'old mail', invitedNoLaterThan: 899_999 }),
      ).toBeNull();
      expect((await invites.getMany(['reinvited@x.com'])).get('reinvited@x.com')?.delivery).toBe('sent');
      // No invitation email was ever recorded, or no record at all: nothing to mark, nothing created.
      expect(
        await invites.recordBounce('level-only@x.com', { reason: 'x', invitedNoLaterThan: 5000 }),
      ).toBeNull();
      expect(
        await invites.recordBounce('stranger@x.com', { reason: 'x', invitedNoLaterThan: 5000 }),
      ).toBeNull();
      expect((await invites.getMany(['stranger@x.com'])).size).toBe(0);

      // Resend invite that goes out clears it.
      await invites.recordDelivery('bounced@x.com', {
        username: 'u-bounced@x.com',
        invitedBy: 'admin@x.com',
        delivery: 'sent',
        deliveryError: null,
        at: 2000,
      });
      expect((await invites.listFailed({ limit: 5 })).records).toEqual([]);
    });

    it('reads many invitation records at once', async () => {
      const { stores } = await fresh();
      const emails = Array.from({ length: 130 }, (_, i) => `m${i}@x.com`);
      for (const [i, email] of emails.entries()) {
        await stores.invites.recordLevel(email, { username: `u${i}`, accessLevel: 'manage', at: i });
      }
      const found = await stores.invites.getMany([...emails, ...emails.map((e) => e.toUpperCase())]);
      expect(found.size).toBe(130);
      expect(found.get('m129@x.com')).toMatchObject({ username: 'u129', changedAt: 129 });
    });
  });
}
