// "The change reaches the member on their next request": every write of the Access control page drops
// the data access layer's member cache. Each test warms the cache for a member (the answer their next
// request would get for the next 5 seconds), makes the write through the service, and reads again
// with the same clock reading, so only a dropped cache can show the new state.
import { AdminRemoveUserFromGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cachedMemberAccess, dropMemberAccessCache } from '@/server/auth/member-cache';
import { getMemberAccess, type MemberAccess } from '@/server/cognito/auth';
import { changeAccessLevel, fixAccessLevel, inviteMembers, removeMembers, resendInvites } from './service';
import { addMember, type MembersFixture, startMembersFixture, type TestPool } from './test-fixture';

let fx: MembersFixture;

beforeAll(async () => {
  fx = await startMembersFixture();
});

afterAll(async () => {
  await fx?.close();
});

beforeEach(() => {
  dropMemberAccessCache();
});

/** What the data access layer would answer for `username` at this instant (one fixed clock reading). */
function accessAt(pool: TestPool, at: number) {
  return (username: string): Promise<MemberAccess | null> =>
    cachedMemberAccess(
      username,
      (name) => getMemberAccess(name, { client: fx.client, poolId: pool.poolId, retry: pool.context.retry }),
      at,
    );
}

describe('member writes reach the next request', () => {
  it('serves a change made behind its back from the cache (so the tests below can fail)', async () => {
    const pool = await fx.newPool();
    const username = await addMember(fx.client, pool.poolId, 'behind@example.com', {
      level: 'full',
      active: true,
    });
    const access = accessAt(pool, Date.now());
    expect(await access(username)).toMatchObject({ accessLevel: 'full' });
    await fx.client.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: pool.poolId,
        Username: username,
        GroupName: 'Full-access',
      }),
    );
    expect(await access(username)).toMatchObject({ accessLevel: 'full' });
  });

  it('a level change', async () => {
    const pool = await fx.newPool();
    const username = await addMember(fx.client, pool.poolId, 'demoted@example.com', {
      level: 'full',
      active: true,
    });
    const access = accessAt(pool, Date.now());
    expect(await access(username)).toMatchObject({ accessLevel: 'full' });

    const [result] = await changeAccessLevel(pool.admin, [username], 'manage', pool.context);
    expect(result?.outcome).toBe('updated');
    expect(await access(username)).toMatchObject({ accessLevel: 'manage' });
  });

  it('a fixed access level', async () => {
    const pool = await fx.newPool();
    const username = await addMember(fx.client, pool.poolId, 'nolevel@example.com', {
      level: null,
      active: true,
    });
    const access = accessAt(pool, Date.now());
    expect(await access(username)).toMatchObject({ accessLevel: null });

    expect((await fixAccessLevel(pool.admin, username, 'manage', pool.context)).outcome).toBe('updated');
    expect(await access(username)).toMatchObject({ accessLevel: 'manage' });
  });

  it('a removal', async () => {
    const pool = await fx.newPool();
    const username = await addMember(fx.client, pool.poolId, 'removed@example.com', {
      level: 'manage',
      active: true,
    });
    const access = accessAt(pool, Date.now());
    expect(await access(username)).toMatchObject({ accessLevel: 'manage' });

    const [result] = await removeMembers(pool.admin, [username], pool.context);
    expect(result?.outcome).toBe('deleted');
    expect(await access(username)).toBeNull();
  });

  it('an invitation that gives an existing member the level they lacked', async () => {
    const pool = await fx.newPool({ settleMs: 0 });
    const username = await addMember(fx.client, pool.poolId, 'lacking@example.com', {
      level: null,
      active: true,
    });
    const access = accessAt(pool, Date.now());
    expect(await access(username)).toMatchObject({ accessLevel: null });

    const [result] = await inviteMembers(pool.admin, ['lacking@example.com'], 'full', pool.context);
    expect(result?.outcome).toBe('already-member');
    expect(await access(username)).toMatchObject({ accessLevel: 'full' });
  });

  it('a resend that restores the level recorded with the invitation', async () => {
    const pool = await fx.newPool();
    const [invited] = await inviteMembers(pool.admin, ['resent@example.com'], 'manage', pool.context);
    expect(invited?.outcome).toBe('invited');
    const username = (await fx.stores.invites.getMany(['resent@example.com'])).get(
      'resent@example.com',
    )?.username;
    if (!username) throw new Error('the invitation was not recorded');
    await fx.client.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: pool.poolId,
        Username: username,
        GroupName: 'Manage-only',
      }),
    );
    const access = accessAt(pool, Date.now());
    expect(await access(username)).toMatchObject({ accessLevel: null });

    const [result] = await resendInvites(pool.admin, [username], pool.context);
    expect(result?.outcome).toBe('resent');
    expect(await access(username)).toMatchObject({ accessLevel: 'manage' });
  });
});
