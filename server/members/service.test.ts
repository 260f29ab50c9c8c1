// The member rules against the embedded identity service (real HTTP, real SQLite, the app's
// triggers rendering the invitations), through the unmodified AWS SDK.
import {
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  ListUsersCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccessLevel } from '@/lib/access-levels';
import { memberStatusText } from '@/lib/members';
import { createSessionRecord, sessionKey } from '@/server/auth/sessions';
import { bouncesOf, recordBounces } from '@/server/mail/delivery-events';
import type { Actor } from './context';
import { isMembersError } from './errors';
import { listMemberPage } from './list';
import {
  changeAccessLevel,
  fixAccessLevel,
  inviteMembers,
  listActivity,
  removeMembers,
  resendInvites,
} from './service';
import {
  addMember,
  DAY,
  groupsOf,
  type MembersFixture,
  startMembersFixture,
  type TestPool,
} from './test-fixture';

let fx: MembersFixture;

beforeAll(async () => {
  fx = await startMembersFixture();
});

afterAll(async () => {
  await fx?.close();
});

beforeEach(() => {
  fx.mail.down = false;
  fx.clock.offset = 0;
  fx.backoffs.length = 0;
});

const mailTo = (email: string) => fx.mail.sent.filter((m) => m.to === email);

async function usernameOf(pool: TestPool, email: string): Promise<string> {
  const page = await fx.client.send(
    new ListUsersCommand({ UserPoolId: pool.poolId, Filter: `email = "${email}"` }),
  );
  const username = page.Users?.[0]?.Username;
  if (!username) throw new Error(`${email} is not a member`);
  return username;
}

async function rowOf(pool: TestPool, email: string) {
  const page = await listMemberPage(pool.admin, { q: email, size: 10 }, pool.context);
  const row = page.members.find((m) => m.email === email);
  if (!row) throw new Error(`${email} is not listed`);
  return row;
}

describe('inviteMembers', () => {
  it('invites new addresses, reports existing and invalid ones, and sets the level', async () => {
    const pool = await fx.newPool();
    await addMember(fx.client, pool.poolId, 'existing@example.com', { level: 'full', active: true });

    const results = await inviteMembers(
      pool.admin,
      ['new1@example.com', 'NEW1@example.com ', 'new2@example.com', 'not-an-email', 'existing@example.com'],
      'manage',
      pool.context,
    );

    expect(results.map((r) => [r.email, r.outcome])).toEqual([
      ['new1@example.com', 'invited'],
      ['new2@example.com', 'invited'],
      ['not-an-email', 'invalid'],
      ['existing@example.com', 'already-member'],
    ]);
    expect(results[3]?.message).toBe('Already a member with Full access.');
    for (const email of ['new1@example.com', 'new2@example.com']) {
      expect(await groupsOf(fx.client, pool.poolId, await usernameOf(pool, email))).toEqual(['Manage-only']);
      // One invitation each, naming who invited them and the level.
      const sent = mailTo(email);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.html ?? sent[0]?.text).toContain(pool.admin.email);
      expect(sent[0]?.html ?? sent[0]?.text).toContain('Manage only');
    }
    expect(mailTo('existing@example.com')).toHaveLength(0);

    const row = await rowOf(pool, 'new1@example.com');
    expect(row).toMatchObject({
      accessLevel: 'manage',
      status: 'pending',
      inviteEmail: 'sent',
      invitedBy: pool.admin.email,
    });
  });

  it('marks an invitation whose email SES later reports bounced "Invite email failed", logs it, and Resend clears it', async () => {
    const pool = await fx.newPool();
    const [invited] = await inviteMembers(pool.admin, ['typo@exmaple.com'], 'manage', pool.context);
    expect(invited?.outcome).toBe('invited');
    expect((await rowOf(pool, 'typo@exmaple.com')).inviteEmail).toBe('sent');

    // What SES publishes a few seconds after Cognito sent the invitation.
    const sentAt = new Date(fx.clock.now() - 3_000).toISOString();
    const bounce = {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          { emailAddress: 'typo@exmaple.com', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
        ],
        timestamp: new Date(fx.clock.now()).toISOString(),
      },
      mail: { timestamp: sentAt, destination: ['typo@exmaple.com'] },
    };
    const stores = { invites: pool.context.invites, activity: pool.context.activity };
    expect(await recordBounces(bouncesOf(bounce), stores, fx.clock.now)).toEqual(['typo@exmaple.com']);
    // SNS may deliver it twice.
    expect(await recordBounces(bouncesOf(bounce), stores, fx.clock.now)).toEqual([]);

    const row = await rowOf(pool, 'typo@exmaple.com');
    expect(row).toMatchObject({
      accessLevel: 'manage',
      status: 'pending',
      inviteEmail: 'failed',
      inviteEmailError: 'The address does not exist or does not accept email (smtp; 550 5.1.1 user unknown).',
    });
    expect(memberStatusText(row)).toBe('Invite email failed');
    const { entries } = await listActivity(pool.admin, { member: 'typo@exmaple.com' }, pool.context);
    expect(entries[0]).toMatchObject({
      actorEmail: pool.admin.email,
      action: 'invite-bounced',
      targetEmail: 'typo@exmaple.com',
      detail: 'Reported by Amazon SES',
      outcome: 'failure',
      message: 'The address does not exist or does not accept email (smtp; 550 5.1.1 user unknown).',
    });

    const [resent] = await resendInvites(
      pool.admin,
      [await usernameOf(pool, 'typo@exmaple.com')],
      pool.context,
    );
    expect(resent?.outcome).toBe('resent');
    expect(await rowOf(pool, 'typo@exmaple.com')).toMatchObject({
      inviteEmail: 'sent',
      inviteEmailError: null,
    });
  });

  it('leaves a member marked "Invite email failed" when mail is down, and Resend invite works once it is back', async () => {
    const pool = await fx.newPool();
    fx.mail.down = true;
    const [result] = await inviteMembers(pool.admin, ['offline@example.com'], 'full', pool.context);
    expect(result?.outcome).toBe('failed');
    expect(result?.message).toMatch(/could not be sent.*Resend invite/);

    const username = await usernameOf(pool, 'offline@example.com');
    expect(await groupsOf(fx.client, pool.poolId, username)).toEqual(['Full-access']);
    const failedRow = await rowOf(pool, 'offline@example.com');
    expect(failedRow).toMatchObject({ accessLevel: 'full', status: 'pending', inviteEmail: 'failed' });
    expect(memberStatusText(failedRow)).toBe('Invite email failed');
    const failedFilter = await listMemberPage(
      pool.admin,
      { status: 'invite-failed', size: 10 },
      pool.context,
    );
    expect(failedFilter.members.map((m) => m.email)).toEqual(['offline@example.com']);

    // Still down: the resend fails the same way and says so.
    const [again] = await resendInvites(pool.admin, [username], pool.context);
    expect(again?.outcome).toBe('failed');

    fx.mail.down = false;
    const [resent] = await resendInvites(pool.admin, [username], pool.context);
    expect(resent).toMatchObject({ email: 'offline@example.com', outcome: 'resent' });
    expect(mailTo('offline@example.com')).toHaveLength(1);
    expect(mailTo('offline@example.com')[0]?.html).toContain('Full access');
    const row = await rowOf(pool, 'offline@example.com');
    expect(row.inviteEmail).toBe('sent');
    expect(memberStatusText(row)).toBe('Pending');
    const cleared = await listMemberPage(pool.admin, { status: 'invite-failed', size: 10 }, pool.context);
    expect(cleared.members).toEqual([]);
  });

  it('retries AdminCreateUser while Cognito throttles, with growing backoff', async () => {
    const pool = await fx.newPool();
    let throttled = 0;
    // A test double for throttling only: the first two AdminCreateUser calls are answered
    // TooManyRequestsException before they reach the service; everything else is real.
    fx.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'AdminCreateUserCommand' && throttled < 2) {
          throttled++;
          throw new TooManyRequestsException({
            message: 'Rate exceeded',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'throttleTwice' },
    );
    try {
      const [result] = await inviteMembers(pool.admin, ['busy@example.com'], 'manage', pool.context);
      expect(result?.outcome).toBe('invited');
    } finally {
      fx.client.middlewareStack.remove('throttleTwice');
    }
    expect(throttled).toBe(2);
    expect(fx.backoffs).toEqual([100, 200]);
    expect(mailTo('busy@example.com')).toHaveLength(1);
    expect(await groupsOf(fx.client, pool.poolId, await usernameOf(pool, 'busy@example.com'))).toEqual([
      'Manage-only',
    ]);
  });

  it('gives up on throttling after the allowed attempts and says why', async () => {
    const pool = await fx.newPool();
    fx.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'AdminCreateUserCommand') {
          throw new TooManyRequestsException({
            message: 'Rate exceeded',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'throttleAlways' },
    );
    try {
      const [result] = await inviteMembers(pool.admin, ['never@example.com'], 'manage', pool.context);
      expect(result).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/throttling/) });
    } finally {
      fx.client.middlewareStack.remove('throttleAlways');
    }
    expect(fx.backoffs).toHaveLength(5);
    const listed = await listMemberPage(pool.admin, { q: 'never@', size: 10 }, pool.context);
    expect(listed.members).toEqual([]);
  });

  it('two admins inviting one email at once make one member and send one email', async () => {
    const pool = await fx.newPool();
    await addMember(fx.client, pool.poolId, 'second-admin@example.com', { level: 'full', active: true });
    const other: Actor = {
      username: await usernameOf(pool, 'second-admin@example.com'),
      email: 'second-admin@example.com',
      accessLevel: 'full',
    };
    for (let round = 0; round < 3; round++) {
      const email = `both-${round}@example.com`;
      const [a, b] = await Promise.all([
        inviteMembers(pool.admin, [email], 'manage', pool.context),
        inviteMembers(other, [email], 'manage', pool.context),
      ]);
      const outcomes = [a[0]?.outcome, b[0]?.outcome].sort();
      expect(outcomes).toEqual(['already-member', 'invited']);
      const users = await fx.client.send(
        new ListUsersCommand({ UserPoolId: pool.poolId, Filter: `email = "${email}"` }),
      );
      expect(users.Users).toHaveLength(1);
      expect(mailTo(email)).toHaveLength(1);
      expect(await groupsOf(fx.client, pool.poolId, await usernameOf(pool, email))).toEqual(['Manage-only']);
    }
  });
});

describe('a half-finished invitation (created, never added to a group)', () => {
  it('shows as "No access level" and is repaired by inviting the address again', async () => {
    const pool = await fx.newPool({ settleMs: 0 });
    const username = await addMember(fx.client, pool.poolId, 'half@example.com', { level: null });
    const row = await rowOf(pool, 'half@example.com');
    expect(row.accessLevel).toBeNull();
    const none = await listMemberPage(pool.admin, { level: 'none', size: 10 }, pool.context);
    expect(none.members.map((m) => m.email)).toEqual(['half@example.com']);

    const [result] = await inviteMembers(pool.admin, ['half@example.com'], 'manage', pool.context);
    expect(result).toMatchObject({
      outcome: 'already-member',
      message: expect.stringMatching(/now have Manage only/),
    });
    expect(await groupsOf(fx.client, pool.poolId, username)).toEqual(['Manage-only']);
  });

  it('is left alone while it may still be finishing, and fixed with one click', async () => {
    const pool = await fx.newPool();
    const username = await addMember(fx.client, pool.poolId, 'fresh@example.com', { level: null });
    const [result] = await inviteMembers(pool.admin, ['fresh@example.com'], 'full', pool.context);
    expect(result?.outcome).toBe('already-member');
    expect(await groupsOf(fx.client, pool.poolId, username)).toEqual([]);

    const fixed = await fixAccessLevel(pool.admin, username, 'full', pool.context);
    expect(fixed).toMatchObject({ email: 'fresh@example.com', outcome: 'updated' });
    expect(await groupsOf(fx.client, pool.poolId, username)).toEqual(['Full-access']);
    expect((await rowOf(pool, 'fresh@example.com')).accessLevel).toBe('full');
  });

  it('is repaired by Resend invite with the level recorded at the invitation', async () => {
    const pool = await fx.newPool();
    await inviteMembers(pool.admin, ['crash@example.com'], 'full', pool.context);
    const username = await usernameOf(pool, 'crash@example.com');
    // The crash: the group membership never happened.
    await fx.client.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: pool.poolId,
        Username: username,
        GroupName: 'Full-access',
      }),
    );
    expect((await rowOf(pool, 'crash@example.com')).accessLevel).toBeNull();

    const [resent] = await resendInvites(pool.admin, [username], pool.context);
    expect(resent).toMatchObject({
      outcome: 'resent',
      message: expect.stringMatching(/missing access level \(Full access\)/),
    });
    expect(await groupsOf(fx.client, pool.poolId, username)).toEqual(['Full-access']);
    expect(mailTo('crash@example.com')).toHaveLength(2);
  });

  it('without a recorded level, Resend invite asks for the fix first', async () => {
    const pool = await fx.newPool();
    const username = await addMember(fx.client, pool.poolId, 'orphan@example.com', { level: null });
    const [result] = await resendInvites(pool.admin, [username], pool.context);
    expect(result).toMatchObject({ outcome: 'refused', message: expect.stringMatching(/Fix access level/) });
    expect(mailTo('orphan@example.com')).toHaveLength(0);
  });
});

describe('changeAccessLevel', () => {
  it('changes several members, never holding both groups, and reports each', async () => {
    const pool = await fx.newPool();
    const a = await addMember(fx.client, pool.poolId, 'a@example.com', { level: 'full', active: true });
    const b = await addMember(fx.client, pool.poolId, 'b@example.com', { level: 'manage', active: true });
    const c = await addMember(fx.client, pool.poolId, 'c@example.com', { level: 'full' });

    // After every group write, look at the member's groups from the outside.
    const seen: string[][] = [];
    fx.client.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        const input = args.input as { Username?: string };
        if (
          (context.commandName === 'AdminAddUserToGroupCommand' ||
            context.commandName === 'AdminRemoveUserFromGroupCommand') &&
          input.Username
        ) {
          seen.push(await groupsOf(fx.client, pool.poolId, input.Username));
        }
        return output;
      },
      { step: 'initialize', name: 'observeGroups' },
    );
    let results: Awaited<ReturnType<typeof changeAccessLevel>>;
    try {
      results = await changeAccessLevel(pool.admin, [a, b, c, 'no-such-user'], 'manage', pool.context);
    } finally {
      fx.client.middlewareStack.remove('observeGroups');
    }
    expect(results.map((r) => [r.email, r.outcome])).toEqual([
      ['a@example.com', 'updated'],
      ['b@example.com', 'unchanged'],
      ['c@example.com', 'updated'],
      ['no-such-user', 'failed'],
    ]);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const groups of seen) expect(groups).not.toEqual(['Full-access', 'Manage-only']);
    for (const username of [a, b, c]) {
      expect(await groupsOf(fx.client, pool.poolId, username)).toEqual(['Manage-only']);
    }

    const promoted = await changeAccessLevel(pool.admin, [b], 'full', pool.context);
    expect(promoted[0]).toMatchObject({ outcome: 'updated', message: 'Now has Full access.' });
    expect(await groupsOf(fx.client, pool.poolId, b)).toEqual(['Full-access']);
  });
});

describe('the last Full-access member', () => {
  it('cannot be demoted or deleted, alone or in a bulk selection of every Full-access member', async () => {
    const pool = await fx.newPool();
    const me = pool.admin;
    expect(await changeAccessLevel(me, [me.username], 'manage', pool.context)).toEqual([
      expect.objectContaining({
        outcome: 'refused',
        message: "You can't demote the last Full access member.",
      }),
    ]);
    expect(await removeMembers(me, [me.username], pool.context)).toEqual([
      expect.objectContaining({
        outcome: 'refused',
        message: "You can't remove the last Full access member.",
      }),
    ]);

    // A disabled Full-access member does not count: nobody could use that access.
    await addMember(fx.client, pool.poolId, 'off@example.com', {
      level: 'full',
      active: true,
      disabled: true,
    });
    expect((await changeAccessLevel(me, [me.username], 'manage', pool.context))[0]?.outcome).toBe('refused');

    // Everyone with Full access selected: all but one change; the actor keeps Full access.
    const other = await addMember(fx.client, pool.poolId, 'other@example.com', {
      level: 'full',
      active: true,
    });
    const demoted = await changeAccessLevel(me, [me.username, other], 'manage', pool.context);
    expect(demoted.map((r) => r.outcome)).toEqual(['refused', 'updated']);
    expect(await groupsOf(fx.client, pool.poolId, me.username)).toEqual(['Full-access']);

    await changeAccessLevel(me, [other], 'full', pool.context);
    const removed = await removeMembers(me, [other, me.username], pool.context);
    expect(removed.map((r) => r.outcome)).toEqual(['deleted', 'refused']);
    expect(await groupsOf(fx.client, pool.poolId, me.username)).toEqual(['Full-access']);

    // Concurrent demotions of the two remaining admins: exactly one goes through.
    const third = await addMember(fx.client, pool.poolId, 'third@example.com', {
      level: 'full',
      active: true,
    });
    const thirdActor: Actor = { username: third, email: 'third@example.com', accessLevel: 'full' };
    const [x, y] = await Promise.all([
      changeAccessLevel(me, [third], 'manage', pool.context),
      changeAccessLevel(thirdActor, [me.username], 'manage', pool.context),
    ]);
    expect([x[0]?.outcome, y[0]?.outcome].sort()).toEqual(['refused', 'updated']);
  });

  it('is not replaced by a Pending or Expired Full-access invitee, who cannot sign in', async () => {
    const pool = await fx.newPool();
    const me = pool.admin;
    const pending = await addMember(fx.client, pool.poolId, 'pending-admin@example.com', { level: 'full' });
    const refusedDemotion = [
      expect.objectContaining({
        outcome: 'refused',
        message: "You can't demote the last Full access member.",
      }),
    ];
    const refusedRemoval = [
      expect.objectContaining({
        outcome: 'refused',
        message: "You can't remove the last Full access member.",
      }),
    ];
    expect(await changeAccessLevel(me, [me.username], 'manage', pool.context)).toEqual(refusedDemotion);
    expect(await removeMembers(me, [me.username], pool.context)).toEqual(refusedRemoval);

    // Eight days on, the invitation has expired: still nobody who could sign in.
    fx.clock.offset = 8 * DAY;
    expect((await rowOf(pool, 'pending-admin@example.com')).status).toBe('expired');
    expect(await changeAccessLevel(me, [me.username], 'manage', pool.context)).toEqual(refusedDemotion);
    expect(await removeMembers(me, [me.username], pool.context)).toEqual(refusedRemoval);
    expect(await groupsOf(fx.client, pool.poolId, me.username)).toEqual(['Full-access']);

    // The invitee themself never counted, so removing them is allowed.
    expect((await removeMembers(me, [pending], pool.context))[0]?.outcome).toBe('deleted');
  });

  it('may delete themself when another Full-access member remains', async () => {
    const pool = await fx.newPool();
    await addMember(fx.client, pool.poolId, 'keeper@example.com', { level: 'full', active: true });
    const [result] = await removeMembers(pool.admin, [pool.admin.username], pool.context);
    expect(result).toMatchObject({ outcome: 'deleted', message: 'You were removed from this team.' });
    await expect(
      fx.client.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: pool.admin.username })),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});

describe('removeMembers', () => {
  it('deletes members (after a global sign-out) and reports the already gone', async () => {
    const pool = await fx.newPool();
    await inviteMembers(pool.admin, ['gone@example.com'], 'manage', pool.context);
    const username = await usernameOf(pool, 'gone@example.com');
    const results = await removeMembers(pool.admin, [username, 'ghost'], pool.context);
    expect(results.map((r) => [r.email, r.outcome])).toEqual([
      ['gone@example.com', 'deleted'],
      ['ghost', 'unchanged'],
    ]);
    expect((await listMemberPage(pool.admin, { q: 'gone@', size: 10 }, pool.context)).members).toEqual([]);
    // Invited again later, they start afresh: no trace of the old invitation's record.
    await inviteMembers(pool.admin, ['gone@example.com'], 'full', pool.context);
    expect(await rowOf(pool, 'gone@example.com')).toMatchObject({ accessLevel: 'full', inviteEmail: 'sent' });
  });
});

describe('removing a member ends their sessions', () => {
  it("revokes every session record of the removed member, and no one else's", async () => {
    const pool = await fx.newPool();
    const leaving = await addMember(fx.client, pool.poolId, 'leaving@example.com', { active: true });
    const staying = await addMember(fx.client, pool.poolId, 'staying@example.com', { active: true });
    const now = Date.now();
    const open = (username: string) =>
      createSessionRecord(fx.sessions, { sub: `sub-${username}`, username }, { now, ttlMs: 3_600_000 });
    const theirs = [await open(leaving), await open(leaving)];
    const kept = await open(staying);

    expect((await removeMembers(pool.admin, [leaving], pool.context))[0]?.outcome).toBe('deleted');
    for (const { sessionId } of theirs) {
      expect((await fx.sessions.get(sessionKey(sessionId)))?.revokedAt).toEqual(expect.any(Number));
    }
    expect((await fx.sessions.get(sessionKey(kept.sessionId)))?.revokedAt).toBeNull();
  });
});

describe('resendInvites', () => {
  it('resends to Pending and Expired members only', async () => {
    const pool = await fx.newPool();
    const pending = await addMember(fx.client, pool.poolId, 'pending@example.com');
    const active = await addMember(fx.client, pool.poolId, 'active@example.com', { active: true });
    const disabled = await addMember(fx.client, pool.poolId, 'disabled@example.com', { disabled: true });
    fx.clock.offset = -8 * DAY;
    const expired = await addMember(fx.client, pool.poolId, 'expired@example.com');
    fx.clock.offset = 0;
    expect((await rowOf(pool, 'expired@example.com')).status).toBe('expired');

    const results = await resendInvites(pool.admin, [pending, active, disabled, expired], pool.context);
    expect(results.map((r) => [r.email, r.outcome])).toEqual([
      ['pending@example.com', 'resent'],
      ['active@example.com', 'refused'],
      ['disabled@example.com', 'refused'],
      ['expired@example.com', 'resent'],
    ]);
    expect(mailTo('pending@example.com')).toHaveLength(1);
    expect(mailTo('expired@example.com')).toHaveLength(1);
    expect(mailTo('active@example.com')).toHaveLength(0);
    expect(mailTo('disabled@example.com')).toHaveLength(0);
    // A new temporary password: pending again for another week.
    expect((await rowOf(pool, 'expired@example.com')).status).toBe('pending');
  });
});

describe('the activity log', () => {
  it('records every write with who, whom, what and the outcome, newest first, filterable by member', async () => {
    const pool = await fx.newPool();
    const me = pool.admin;
    await inviteMembers(me, ['log1@example.com', 'log2@example.com'], 'manage', pool.context);
    const log1 = await usernameOf(pool, 'log1@example.com');
    await changeAccessLevel(me, [log1], 'full', pool.context);
    await resendInvites(me, [log1], pool.context);
    await removeMembers(me, [log1], pool.context);
    await removeMembers(me, [me.username], pool.context); // refused: the last Full-access member

    const mine = await listActivity(me, { member: 'LOG1@example.com' }, pool.context);
    expect(
      mine.entries.map((e) => [e.action, e.actorEmail, e.targetEmail, e.detail, e.outcome, e.message]),
    ).toEqual([
      ['delete', me.email, 'log1@example.com', 'Full access', 'success', null],
      ['resend', me.email, 'log1@example.com', 'Full access', 'success', null],
      ['change-level', me.email, 'log1@example.com', 'Manage only → Full access', 'success', null],
      ['invite', me.email, 'log1@example.com', 'Manage only', 'success', null],
    ]);
    const times = mine.entries.map((e) => Date.parse(e.at));
    expect([...times].sort((p, q) => q - p)).toEqual(times);

    // A page at a time, with a cursor: every entry once.
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listActivity(me, { member: 'log1@example.com', cursor, limit: 3 }, pool.context);
      ids.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(mine.entries.map((e) => e.id));

    // The admin's own entries include what they did to others and what was done to them.
    const admins = await listActivity(me, { member: me.email, limit: 50 }, pool.context);
    expect(admins.entries.some((e) => e.targetEmail === 'log2@example.com')).toBe(true);
    expect(admins.entries.find((e) => e.targetEmail === me.email)).toMatchObject({
      action: 'delete',
      outcome: 'failure',
      message: "You can't remove the last Full access member.",
    });
  });
});

describe('a Manage-only member', () => {
  it('is refused by every write and by the activity log, and nothing changes', async () => {
    const pool = await fx.newPool();
    const username = await addMember(fx.client, pool.poolId, 'viewer@example.com', { active: true });
    const viewer: Actor = { username, email: 'viewer@example.com', accessLevel: 'manage' };
    const level: AccessLevel = 'full';
    const attempts = [
      () => inviteMembers(viewer, ['intruder@example.com'], level, pool.context),
      () => changeAccessLevel(viewer, [username], level, pool.context),
      () => removeMembers(viewer, [pool.admin.username], pool.context),
      () => resendInvites(viewer, [pool.admin.username], pool.context),
      () => fixAccessLevel(viewer, username, level, pool.context),
      () => listActivity(viewer, {}, pool.context),
    ];
    for (const attempt of attempts) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isMembersError(error, 'forbidden')).toBe(true);
    }
    expect(await groupsOf(fx.client, pool.poolId, username)).toEqual(['Manage-only']);
    expect(await groupsOf(fx.client, pool.poolId, pool.admin.username)).toEqual(['Full-access']);
    expect(
      (
        await fx.client.send(
          new ListUsersCommand({ UserPoolId: pool.poolId, Filter: 'email = "intruder@example.com"' }),
        )
      ).Users,
    ).toEqual([]);
    // Reading the table is for every member.
    expect((await listMemberPage(viewer, { size: 10 }, pool.context)).members.length).toBe(2);
  });
});
