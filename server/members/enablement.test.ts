// Disable and Enable against the embedded identity service, through the unmodified AWS SDK.
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  ListUserPoolClientsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionRecord, sessionKey } from '@/server/auth/sessions';
import type { Actor } from './context';
import { disableMembers, enableMembers } from './enablement';
import { isMembersError } from './errors';
import { listActivity } from './service';
import { addMember, groupsOf, type MembersFixture, startMembersFixture, type TestPool } from './test-fixture';

let fx: MembersFixture;

beforeAll(async () => {
  fx = await startMembersFixture();
});

afterAll(async () => {
  await fx?.close();
});

const PASSWORD = 'Correct-Horse-1!';

async function enabled(pool: TestPool, username: string): Promise<boolean | undefined> {
  const user = await fx.client.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }));
  return user.Enabled;
}

async function signIn(pool: TestPool, username: string, flow: 'password' | { refreshToken: string }) {
  const { UserPoolClients = [] } = await fx.client.send(
    new ListUserPoolClientsCommand({ UserPoolId: pool.poolId, MaxResults: 10 }),
  );
  const clientId = UserPoolClients[0]?.ClientId;
  const answer = await fx.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId,
      ClientId: clientId,
      ...(flow === 'password'
        ? { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD } }
        : { AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: flow.refreshToken } }),
    }),
  );
  return answer.AuthenticationResult;
}

describe('disableMembers and enableMembers', () => {
  it('disables a member (signed out, no sign-in) and enables them again at their level', async () => {
    const pool = await fx.newPool();
    const member = await addMember(fx.client, pool.poolId, 'off-and-on@example.com', {
      level: 'manage',
      active: true,
    });
    const refreshToken = (await signIn(pool, member, 'password'))?.RefreshToken;
    expect(refreshToken).toBeTruthy();

    const [disabled] = await disableMembers(pool.admin, [member], pool.context);
    expect(disabled).toMatchObject({
      email: 'off-and-on@example.com',
      outcome: 'disabled',
      summary: 'off-and-on@example.com is disabled: signed out, and their sign-in links no longer work.',
    });
    expect(await enabled(pool, member)).toBe(false);
    await expect(signIn(pool, member, 'password')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(await groupsOf(fx.client, pool.poolId, member)).toEqual(['Manage-only']);

    const [again] = await disableMembers(pool.admin, [member], pool.context);
    expect(again).toMatchObject({ outcome: 'unchanged', message: 'Already disabled.' });

    const [enabledAgain] = await enableMembers(pool.admin, [member], pool.context);
    expect(enabledAgain).toMatchObject({
      outcome: 'enabled',
      summary: 'off-and-on@example.com is enabled again with Manage only.',
    });
    expect(await enabled(pool, member)).toBe(true);
    expect(await groupsOf(fx.client, pool.poolId, member)).toEqual(['Manage-only']);
    // The sessions that were open when they were disabled stay ended; a new sign-in works.
    await expect(signIn(pool, member, { refreshToken: refreshToken! })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    expect((await signIn(pool, member, 'password'))?.AccessToken).toBeTruthy();

    const { entries } = await listActivity(pool.admin, { member: 'off-and-on@example.com' }, pool.context);
    expect(entries.map((e) => [e.action, e.targetEmail, e.detail, e.outcome])).toEqual([
      ['enable', 'off-and-on@example.com', 'Manage only', 'success'],
      ['disable', 'off-and-on@example.com', 'Manage only', 'success'],
    ]);
  });

  it("ends the disabled member's session records, so an old cookie stays dead after Enable", async () => {
    const pool = await fx.newPool();
    const member = await addMember(fx.client, pool.poolId, 'cookie-copy@example.com', { active: true });
    const other = await addMember(fx.client, pool.poolId, 'bystander@example.com', { active: true });
    const open = (username: string) =>
      createSessionRecord(
        fx.sessions,
        { sub: `sub-${username}`, username },
        { now: Date.now(), ttlMs: 3_600_000 },
      );
    const theirs = await open(member);
    const kept = await open(other);

    expect((await disableMembers(pool.admin, [member], pool.context))[0]?.outcome).toBe('disabled');
    expect((await enableMembers(pool.admin, [member], pool.context))[0]?.outcome).toBe('enabled');
    expect((await fx.sessions.get(sessionKey(theirs.sessionId)))?.revokedAt).toEqual(expect.any(Number));
    expect((await fx.sessions.get(sessionKey(kept.sessionId)))?.revokedAt).toBeNull();
  });

  it('never disables the last enabled Full-access member, alone or with every admin selected', async () => {
    const pool = await fx.newPool();
    const me = pool.admin;
    expect(await disableMembers(me, [me.username], pool.context)).toEqual([
      expect.objectContaining({
        outcome: 'refused',
        message: "You can't disable the last Full access member.",
      }),
    ]);
    expect(await enabled(pool, me.username)).toBe(true);

    // A disabled Full-access member does not count.
    const off = await addMember(fx.client, pool.poolId, 'off-admin@example.com', {
      level: 'full',
      active: true,
      disabled: true,
    });
    expect((await disableMembers(me, [me.username], pool.context))[0]?.outcome).toBe('refused');

    // With another enabled admin, selecting both: the other goes, the actor stays.
    await enableMembers(me, [off], pool.context);
    const results = await disableMembers(me, [me.username, off], pool.context);
    expect(results.map((r) => [r.email, r.outcome])).toEqual([
      [me.email, 'refused'],
      ['off-admin@example.com', 'disabled'],
    ]);
    expect(await enabled(pool, me.username)).toBe(true);

    const { entries } = await listActivity(me, { member: me.email }, pool.context);
    expect(entries[0]).toMatchObject({
      action: 'disable',
      targetEmail: me.email,
      outcome: 'failure',
      message: "You can't disable the last Full access member.",
    });
  });

  it('refuses a Manage-only actor and reports members that are gone', async () => {
    const pool = await fx.newPool();
    const reader: Actor = { username: 'reader', email: 'reader@example.com', accessLevel: 'manage' };
    await expect(disableMembers(reader, [pool.admin.username], pool.context)).rejects.toSatisfy((error) =>
      isMembersError(error, 'forbidden'),
    );
    await expect(enableMembers(reader, [pool.admin.username], pool.context)).rejects.toSatisfy((error) =>
      isMembersError(error, 'forbidden'),
    );
    expect(await disableMembers(pool.admin, ['ghost'], pool.context)).toEqual([
      expect.objectContaining({ outcome: 'failed', message: 'No longer a member of this team.' }),
    ]);
  });
});
