// Conformance: groups (CreateGroup, GetGroup, UpdateGroup, ListGroups, DeleteGroup) and membership
// (AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup), over HTTP
// with the unmodified AWS SDK v3.
import {
  AdminAddUserToGroupCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attribute, expectCognitoError, newEmailPool, newUser } from './admin-test-fixture';
import { startTestService, type TestService } from './test-support';

const ROLE = (name: string) => `arn:aws:iam::000000000000:role/${name}`;

let t: TestService;

beforeAll(async () => {
  t = await startTestService();
});

afterAll(async () => {
  await t.close();
});

describe('groups', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await newEmailPool(t);
  });

  it('creates a group and returns it from CreateGroup and GetGroup', async () => {
    const { Group } = await t.client.send(
      new CreateGroupCommand({
        UserPoolId: poolId,
        GroupName: 'Full-access',
        Description: 'Create and manage resources',
        RoleArn: ROLE(`${poolId}_Full-access`),
        Precedence: 1,
      }),
    );
    expect(Group).toMatchObject({
      GroupName: 'Full-access',
      UserPoolId: poolId,
      Description: 'Create and manage resources',
      RoleArn: ROLE(`${poolId}_Full-access`),
      Precedence: 1,
    });
    expect(Group?.CreationDate).toBeInstanceOf(Date);
    const { Group: got } = await t.client.send(
      new GetGroupCommand({ UserPoolId: poolId, GroupName: 'Full-access' }),
    );
    expect(got).toEqual(Group);
  });

  it('refuses a second group of the same name with GroupExistsException', async () => {
    await t.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'Manage-only' }));
    await expectCognitoError(
      t.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'Manage-only' })),
      'GroupExistsException',
      'A group with the name Manage-only already exists.',
    );
  });

  it('validates group fields', async () => {
    await expectCognitoError(
      t.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'bad', RoleArn: 'role' })),
      'InvalidParameterException',
      /at 'roleArn' failed to satisfy constraint/,
    );
    await expectCognitoError(
      t.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'bad', Precedence: -1 })),
      'InvalidParameterException',
      /Value '-1' at 'precedence'/,
    );
    await expectCognitoError(
      t.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'has space' })),
      'InvalidParameterException',
      /at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
  });

  it('answers ResourceNotFoundException "Group not found." for an unknown group', async () => {
    await expectCognitoError(
      t.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })),
      'ResourceNotFoundException',
      'Group not found.',
    );
    await expectCognitoError(
      t.client.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'nope', Description: 'x' })),
      'ResourceNotFoundException',
      'Group not found.',
    );
    await expectCognitoError(
      t.client.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })),
      'ResourceNotFoundException',
      'Group not found.',
    );
  });

  it('updates a group: given fields change, omitted ones are cleared', async () => {
    await t.client.send(
      new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Description: 'old', Precedence: 5 }),
    );
    t.clock.advance(60_000);
    try {
      const { Group } = await t.client.send(
        new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', RoleArn: ROLE('editors') }),
      );
      expect(Group?.RoleArn).toBe(ROLE('editors'));
      expect(Group?.Description).toBeUndefined();
      expect(Group?.Precedence).toBeUndefined();
      expect(Group!.LastModifiedDate!.getTime()).toBeGreaterThan(Group!.CreationDate!.getTime());
    } finally {
      t.clock.offset = 0;
    }
  });

  it('lists groups page by page and deletes them with their memberships', async () => {
    const pool = await newEmailPool(t);
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
    for (const GroupName of names)
      await t.client.send(new CreateGroupCommand({ UserPoolId: pool, GroupName }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await t.client.send(
        new ListGroupsCommand({ UserPoolId: pool, Limit: 2, NextToken: token }),
      );
      expect(page.Groups!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Groups!.map((group) => group.GroupName!));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(names);
    await expectCognitoError(
      t.client.send(new ListGroupsCommand({ UserPoolId: pool, Limit: 61 })),
      'InvalidParameterException',
      "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    );

    await newUser(t, pool, 'someone@example.com');
    await t.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: pool,
        Username: 'someone@example.com',
        GroupName: 'alpha',
      }),
    );
    await t.client.send(new DeleteGroupCommand({ UserPoolId: pool, GroupName: 'alpha' }));
    const { Groups } = await t.client.send(new ListGroupsCommand({ UserPoolId: pool }));
    expect(Groups?.map((group) => group.GroupName)).toEqual(['bravo', 'charlie', 'delta', 'echo']);
    const { n } = t.service.context.db
      .prepare('SELECT count(*) AS n FROM user_groups WHERE pool_id = ?')
      .get(pool) as { n: number };
    expect(n).toBe(0);
  });
});

describe('group membership', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await newEmailPool(t);
    for (const GroupName of ['Full-access', 'Manage-only', 'readers']) {
      await t.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName }));
    }
  });

  it('adds (idempotently), lists and removes group memberships, by email', async () => {
    const User = await newUser(t, poolId, 'member@example.com');
    const add = (GroupName: string) =>
      t.client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'Member@example.com', GroupName }),
      );
    await add('readers');
    await add('Full-access');
    await add('Full-access');
    const { Groups } = await t.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'member@example.com' }),
    );
    expect(Groups?.map((group) => group.GroupName)).toEqual(['Full-access', 'readers']);
    expect(Groups?.[0]).toMatchObject({ UserPoolId: poolId });

    const firstPage = await t.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: User.Username, Limit: 1 }),
    );
    expect(firstPage.Groups?.map((group) => group.GroupName)).toEqual(['Full-access']);
    const secondPage = await t.client.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: poolId,
        Username: User.Username,
        Limit: 1,
        NextToken: firstPage.NextToken,
      }),
    );
    expect(secondPage.Groups?.map((group) => group.GroupName)).toEqual(['readers']);
    expect(secondPage.NextToken).toBeUndefined();

    const { Users } = await t.client.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'Full-access' }),
    );
    expect(Users?.map((user) => user.Username)).toEqual([User.Username]);
    expect(attribute(Users?.[0]?.Attributes, 'email')).toBe('member@example.com');

    await t.client.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: poolId,
        Username: 'member@example.com',
        GroupName: 'Full-access',
      }),
    );
    const after = await t.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'member@example.com' }),
    );
    expect(after.Groups?.map((group) => group.GroupName)).toEqual(['readers']);
  });

  it('answers ResourceNotFoundException for a missing group and UserNotFoundException for a missing user', async () => {
    await newUser(t, poolId, 'lonely@example.com');
    await expectCognitoError(
      t.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: poolId,
          Username: 'lonely@example.com',
          GroupName: 'nope',
        }),
      ),
      'ResourceNotFoundException',
      'Group not found.',
    );
    await expectCognitoError(
      t.client.send(
        new AdminRemoveUserFromGroupCommand({
          UserPoolId: poolId,
          Username: 'lonely@example.com',
          GroupName: 'nope',
        }),
      ),
      'ResourceNotFoundException',
      'Group not found.',
    );
    await expectCognitoError(
      t.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: poolId,
          Username: 'ghost@example.com',
          GroupName: 'readers',
        }),
      ),
      'UserNotFoundException',
      'User does not exist.',
    );
    await expectCognitoError(
      t.client.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })),
      'ResourceNotFoundException',
      'Group not found.',
    );
    await expectCognitoError(
      t.client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ghost@example.com' })),
      'UserNotFoundException',
    );
  });

  it('pages ListUsersInGroup past 60 members: all present, none twice', async () => {
    const pool = await newEmailPool(t);
    await t.client.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'crowd' }));
    const expected = new Set<string>();
    for (let i = 0; i < 130; i++) {
      const User = await newUser(t, pool, `crowd${i}@example.com`);
      expected.add(User.Username!);
      await t.client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: User.Username, GroupName: 'crowd' }),
      );
    }
    for (const limit of [60, 25]) {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await t.client.send(
          new ListUsersInGroupCommand({
            UserPoolId: pool,
            GroupName: 'crowd',
            Limit: limit,
            NextToken: token,
          }),
        );
        expect(page.Users!.length).toBeLessThanOrEqual(limit);
        seen.push(...page.Users!.map((user) => user.Username!));
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(Math.ceil(130 / limit));
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(expected);
    }
    await expectCognitoError(
      t.client.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'crowd', Limit: 61 })),
      'InvalidParameterException',
      "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  });
});
