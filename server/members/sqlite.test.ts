import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteChallengeStore } from '@/server/challenges';
import { openSqliteMemberStores } from './sqlite';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'member-stores-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the SQLite member stores', () => {
  it('share studio.sqlite with the challenge store, each with its own tables, and survive reopening', async () => {
    const dir = tempDir();
    const challenges = openSqliteChallengeStore(dir);
    const first = openSqliteMemberStores(dir);
    await first.activity.record({
      actorEmail: 'Admin@Example.com',
      action: 'invite',
      targetEmail: 'Ana@Example.com',
      detail: 'Manage only',
      outcome: 'success',
      message: null,
      at: Date.parse('2026-01-02T03:04:05Z'),
    });
    const put = await challenges.put(
      {
        secretHash: 'h'.repeat(43),
        username: 'u1',
        email: 'ana@example.com',
        createdAt: Date.now(),
        expiresAt: Date.now() + 60_000,
        channel: 'email',
      },
      { minIntervalMs: 0 },
    );
    expect(put.stored).toBe(true);
    first.close();

    const again = openSqliteMemberStores(dir);
    const { entries } = await again.activity.list({ limit: 10 });
    expect(entries).toEqual([
      {
        id: expect.any(String),
        at: '2026-01-02T03:04:05.000Z',
        actorEmail: 'admin@example.com',
        action: 'invite',
        targetEmail: 'ana@example.com',
        detail: 'Manage only',
        outcome: 'success',
        message: null,
      },
    ]);
    expect((await challenges.inspect('h'.repeat(43), Date.now())).state).toBe('valid');
    again.close();
    challenges.close();
  });

  it('lists activity newest first, a page at a time, for one member as actor or target', async () => {
    const stores = openSqliteMemberStores(tempDir());
    const log = (actorEmail: string, targetEmail: string | null, at: number) =>
      stores.activity.record({
        actorEmail,
        action: targetEmail ? 'change-level' : 'sign-in',
        targetEmail,
        detail: null,
        outcome: 'success',
        message: null,
        at,
      });
    for (let i = 0; i < 10; i++) {
      await log('admin@example.com', i % 2 ? 'ana@example.com' : 'bo@example.com', 1000 + i);
      await log('ana@example.com', null, 2000 + i);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await stores.activity.list({ member: 'ANA@example.com', cursor, limit: 4 });
      expect(page.entries.length).toBeLessThanOrEqual(4);
      seen.push(...page.entries.map((e) => e.id));
      for (const e of page.entries) {
        expect(e.actorEmail === 'ana@example.com' || e.targetEmail === 'ana@example.com').toBe(true);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => b - a));

    const everything = await stores.activity.list({ limit: 100 });
    expect(everything.entries).toHaveLength(20);
    expect(everything.nextCursor).toBeUndefined();
    // A cursor that is not one of ours starts from the newest.
    expect((await stores.activity.list({ cursor: '!!', limit: 1 })).entries[0]?.id).toBe(
      everything.entries[0]?.id,
    );
    stores.close();
  });

  it('keeps one invitation record per email, and pages the failed ones', async () => {
    const { invites, close } = openSqliteMemberStores(tempDir());
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

    const found = await invites.getMany(['A@x.com', 'b@x.com', 'new@x.com', 'none@x.com']);
    expect(found.get('a@x.com')).toMatchObject({ accessLevel: 'full', delivery: 'failed', changedAt: 6000 });
    expect(found.get('b@x.com')).toMatchObject({
      invitedBy: 'other@x.com',
      delivery: 'sent',
      deliveryError: null,
    });
    expect(found.get('new@x.com')).toMatchObject({ invitedBy: null, delivery: null, accessLevel: 'manage' });
    expect(found.has('none@x.com')).toBe(false);

    const first = await invites.listFailed({ limit: 1 });
    expect(first.records.map((r) => r.email)).toEqual(['a@x.com']);
    const rest = await invites.listFailed({ after: first.next, limit: 5 });
    expect(rest.records.map((r) => r.email)).toEqual(['c@x.com']);
    expect(rest.next).toBeUndefined();

    expect((await invites.listFailed({ prefix: 'C', limit: 5 })).records.map((r) => r.email)).toEqual([
      'c@x.com',
    ]);
    expect((await invites.listFailed({ prefix: 'd', limit: 5 })).records).toEqual([]);

    await invites.remove('a@x.com');
    expect((await invites.listFailed({ limit: 5 })).records.map((r) => r.email)).toEqual(['c@x.com']);
    close();
  });
});
