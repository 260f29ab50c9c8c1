// Conformance: user pools and app clients, driven over HTTP with the unmodified AWS SDK v3.
import {
  AdminAddUserToGroupCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCognitoError, newEmailPool, newPool, newUser } from './admin-test-fixture';
import { startTestService, type TestService } from './test-support';

const ARN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const DAY = 24 * 60 * 60 * 1000;

let t: TestService;

beforeAll(async () => {
  t = await startTestService();
});

afterAll(async () => {
  await t.close();
});

describe('CreateUserPool / DescribeUserPool', () => {
  it('creates a pool with a Cognito-shaped id and ARN, and Cognito defaults', async () => {
    const before = Date.now();
    const { UserPool } = await t.client.send(new CreateUserPoolCommand({ PoolName: 'defaults' }));
    expect(UserPool?.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(UserPool?.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${UserPool?.Id}`);
    expect(UserPool?.Name).toBe('defaults');
    expect(UserPool?.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    expect(UserPool?.UsernameConfiguration).toEqual({ CaseSensitive: true });
    expect(UserPool?.LambdaConfig).toEqual({});
    expect(UserPool?.AdminCreateUserConfig).toEqual({
      AllowAdminCreateUserOnly: false,
      UnusedAccountValidityDays: 7,
    });
    expect(UserPool?.DeletionProtection).toBe('INACTIVE');
    expect(UserPool?.MfaConfiguration).toBe('OFF');
    expect(UserPool?.EstimatedNumberOfUsers).toBe(0);
    expect(UserPool?.CreationDate?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(UserPool?.CreationDate?.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(UserPool?.LastModifiedDate).toEqual(UserPool?.CreationDate);
    expect(UserPool?.SchemaAttributes?.find((a) => a.Name === 'sub')).toMatchObject({
      AttributeDataType: 'String',
      Mutable: false,
      Required: true,
    });
    expect(UserPool?.SchemaAttributes?.find((a) => a.Name === 'email')).toMatchObject({ Required: false });
  });

  it('keeps every setting it is given, and DescribeUserPool returns them', async () => {
    const poolId = await newPool(t, {
      PoolName: 'amplify_backend_manager_abc123',
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: { MinimumLength: 12, RequireNumbers: true, TemporaryPasswordValidityDays: 3 },
      },
      LambdaConfig: {
        CustomMessage: ARN('amplify-login-custom-message-abc'),
        DefineAuthChallenge: ARN('amplify-login-define-auth-challenge-abc'),
      },
      AdminCreateUserConfig: {
        AllowAdminCreateUserOnly: true,
        InviteMessageTemplate: { EmailSubject: 'Welcome', EmailMessage: 'Hi {username}, use {####}' },
      },
      Schema: [
        { Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true },
        { Name: 'tenant', AttributeDataType: 'String', Mutable: false },
      ],
      UserPoolTags: { app: 'studio' },
    });
    const { UserPool } = await t.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(UserPool?.Name).toBe('amplify_backend_manager_abc123');
    expect(UserPool?.UsernameAttributes).toEqual(['email']);
    expect(UserPool?.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(UserPool?.AutoVerifiedAttributes).toEqual(['email']);
    // With a PasswordPolicy given, the requirements it leaves out are off.
    expect(UserPool?.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 12,
      RequireUppercase: false,
      RequireLowercase: false,
      RequireNumbers: true,
      RequireSymbols: false,
      TemporaryPasswordValidityDays: 3,
    });
    expect(UserPool?.LambdaConfig).toEqual({
      CustomMessage: ARN('amplify-login-custom-message-abc'),
      DefineAuthChallenge: ARN('amplify-login-define-auth-challenge-abc'),
    });
    expect(UserPool?.AdminCreateUserConfig).toEqual({
      AllowAdminCreateUserOnly: true,
      UnusedAccountValidityDays: 7,
      InviteMessageTemplate: { EmailSubject: 'Welcome', EmailMessage: 'Hi {username}, use {####}' },
    });
    expect(UserPool?.SchemaAttributes?.find((a) => a.Name === 'email')).toMatchObject({ Required: true });
    expect(UserPool?.SchemaAttributes?.find((a) => a.Name === 'custom:tenant')).toMatchObject({
      AttributeDataType: 'String',
      Mutable: false,
      Required: false,
    });
    expect(UserPool?.UserPoolTags).toEqual({ app: 'studio' });
  });

  it('counts users in EstimatedNumberOfUsers', async () => {
    const poolId = await newEmailPool(t);
    for (const name of ['a', 'b', 'c']) await newUser(t, poolId, `${name}@example.com`);
    const { UserPool } = await t.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(UserPool?.EstimatedNumberOfUsers).toBe(3);
  });

  it('refuses invalid settings with InvalidParameterException', async () => {
    const create = (input: Record<string, unknown>) =>
      t.client.send(new CreateUserPoolCommand({ PoolName: 'bad', ...input }));
    await expectCognitoError(
      t.client.send(new CreateUserPoolCommand({} as never)),
      'InvalidParameterException',
      "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null",
    );
    await expectCognitoError(
      create({ PoolName: 'bad/name' }),
      'InvalidParameterException',
      /Value 'bad\/name' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    await expectCognitoError(
      create({ UsernameAttributes: ['email'], AliasAttributes: ['email'] }),
      'InvalidParameterException',
      'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.',
    );
    await expectCognitoError(create({ UsernameAttributes: ['nickname'] }), 'InvalidParameterException');
    await expectCognitoError(
      create({ LambdaConfig: { CustomMessage: 'not-an-arn-but-long-enough' } }),
      'InvalidParameterException',
      /at 'lambdaConfig.customMessage' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    await expectCognitoError(
      create({ Policies: { PasswordPolicy: { MinimumLength: 5 } } }),
      'InvalidParameterException',
      /Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6/,
    );
    await expectCognitoError(
      create({ AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: 'Hello {username}' } } }),
      'InvalidParameterException',
      /at 'adminCreateUserConfig.inviteMessageTemplate.emailMessage' failed to satisfy constraint: .*\\\{####\\\}/,
    );
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expectCognitoError(
      t.client.send(new DescribeUserPoolCommand({ UserPoolId: 'us-east-1_Nope12345' })),
      'ResourceNotFoundException',
      'User pool us-east-1_Nope12345 does not exist.',
    );
  });
});

describe('ListUserPools', () => {
  it('requires MaxResults between 1 and 60', async () => {
    await expectCognitoError(
      t.client.send(new ListUserPoolsCommand({} as never)),
      'InvalidParameterException',
      "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null",
    );
    await expectCognitoError(
      t.client.send(new ListUserPoolsCommand({ MaxResults: 61 })),
      'InvalidParameterException',
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  });

  it('pages through every pool once', async () => {
    const service = await startTestService();
    try {
      const created = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const { UserPool } = await service.client.send(new CreateUserPoolCommand({ PoolName: `pool-${i}` }));
        created.add(UserPool!.Id!);
      }
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await service.client.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: token }));
        expect(page.UserPools!.length).toBeLessThanOrEqual(2);
        for (const pool of page.UserPools!) {
          expect(pool.Name).toMatch(/^pool-\d$/);
          expect(pool.LambdaConfig).toEqual({});
          expect(pool.CreationDate).toBeInstanceOf(Date);
          seen.push(pool.Id!);
        }
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...created].sort());
    } finally {
      await service.close();
    }
  });
});

describe('UpdateUserPool', () => {
  it('applies the new settings, resets omitted ones to their defaults and keeps create-only ones', async () => {
    const poolId = await newEmailPool(t, {
      LambdaConfig: { CustomMessage: ARN('custom-message') },
      Policies: { PasswordPolicy: { MinimumLength: 10, TemporaryPasswordValidityDays: 2 } },
      AutoVerifiedAttributes: ['email'],
    });
    t.clock.advance(DAY);
    try {
      await t.client.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          LambdaConfig: {
            CustomMessage: ARN('custom-message-v2'),
            CreateAuthChallenge: ARN('create-challenge'),
          },
          DeletionProtection: 'ACTIVE',
        }),
      );
      const { UserPool } = await t.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      expect(UserPool?.LambdaConfig).toEqual({
        CustomMessage: ARN('custom-message-v2'),
        CreateAuthChallenge: ARN('create-challenge'),
      });
      expect(UserPool?.DeletionProtection).toBe('ACTIVE');
      expect(UserPool?.Policies?.PasswordPolicy?.MinimumLength).toBe(8);
      expect(UserPool?.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays).toBe(7);
      expect(UserPool?.AutoVerifiedAttributes).toBeUndefined();
      expect(UserPool?.UsernameAttributes).toEqual(['email']);
      expect(UserPool?.UsernameConfiguration).toEqual({ CaseSensitive: false });
      expect(
        UserPool!.LastModifiedDate!.getTime() - UserPool!.CreationDate!.getTime(),
      ).toBeGreaterThanOrEqual(DAY - 1000);
    } finally {
      t.clock.offset = 0;
    }
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expectCognitoError(
      t.client.send(new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_Nope12345' })),
      'ResourceNotFoundException',
    );
  });
});

describe('DeleteUserPool', () => {
  it('removes the pool with its clients, groups, users and memberships', async () => {
    const poolId = await newEmailPool(t);
    const { UserPoolClient } = await t.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web' }),
    );
    await t.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'Full-access' }));
    await newUser(t, poolId, 'member@example.com');
    await t.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: poolId,
        Username: 'member@example.com',
        GroupName: 'Full-access',
      }),
    );

    await t.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));

    await expectCognitoError(
      t.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
      'ResourceNotFoundException',
    );
    await expectCognitoError(
      t.client.send(
        new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: UserPoolClient!.ClientId }),
      ),
      'ResourceNotFoundException',
    );
    const db = t.service.context.db;
    for (const table of ['users', 'groups', 'user_groups', 'user_pool_clients']) {
      const { n } = db.prepare(`SELECT count(*) AS n FROM ${table} WHERE pool_id = ?`).get(poolId) as {
        n: number;
      };
      expect(n, table).toBe(0);
    }
  });

  it('refuses while deletion protection is active', async () => {
    const poolId = await newPool(t, { DeletionProtection: 'ACTIVE' });
    await expectCognitoError(
      t.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId })),
      'InvalidParameterException',
      'The user pool cannot be deleted because deletion protection is activated.',
    );
    await t.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  });
});

describe('app clients', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await newEmailPool(t);
  });

  it('creates a client with a Cognito-shaped id, an optional secret and Cognito defaults', async () => {
    const { UserPoolClient: plain } = await t.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'plain' }),
    );
    expect(plain?.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(plain?.ClientSecret).toBeUndefined();
    expect(plain).toMatchObject({
      UserPoolId: poolId,
      ClientName: 'plain',
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
      EnableTokenRevocation: true,
      AuthSessionValidity: 3,
      PreventUserExistenceErrors: 'LEGACY',
    });
    expect(plain?.CreationDate).toBeInstanceOf(Date);

    const { UserPoolClient: secret } = await t.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'server', GenerateSecret: true }),
    );
    expect(secret?.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    const { UserPoolClient: described } = await t.client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: secret!.ClientId }),
    );
    expect(described).toEqual(secret);
  });

  it('keeps the auth flows, token validity and session settings it is given', async () => {
    const { UserPoolClient } = await t.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'console',
        ExplicitAuthFlows: [
          'ALLOW_CUSTOM_AUTH',
          'ALLOW_ADMIN_USER_PASSWORD_AUTH',
          'ALLOW_REFRESH_TOKEN_AUTH',
        ],
        AccessTokenValidity: 5, // no unit given: hours
        IdTokenValidity: 30,
        RefreshTokenValidity: 600,
        TokenValidityUnits: { IdToken: 'minutes', RefreshToken: 'minutes' },
        AuthSessionValidity: 15,
        EnableTokenRevocation: false,
        PreventUserExistenceErrors: 'ENABLED',
      }),
    );
    expect(UserPoolClient).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 5,
      IdTokenValidity: 30,
      RefreshTokenValidity: 600,
      TokenValidityUnits: { AccessToken: 'hours', IdToken: 'minutes', RefreshToken: 'minutes' },
      AuthSessionValidity: 15,
      EnableTokenRevocation: false,
      PreventUserExistenceErrors: 'ENABLED',
    });
  });

  it('refuses invalid client settings with InvalidParameterException', async () => {
    const create = (input: Record<string, unknown>) =>
      t.client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'bad', ...input }));
    await expectCognitoError(
      create({ ExplicitAuthFlows: ['ALLOW_MAGIC'] }),
      'InvalidParameterException',
      /Value '\[ALLOW_MAGIC\]' at 'explicitAuthFlows' failed to satisfy constraint/,
    );
    await expectCognitoError(
      create({ ExplicitAuthFlows: ['ADMIN_NO_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'] }),
      'InvalidParameterException',
    );
    await expectCognitoError(
      create({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'days' } }),
      'InvalidParameterException',
    );
    await expectCognitoError(
      create({ IdTokenValidity: 4, TokenValidityUnits: { IdToken: 'minutes' } }),
      'InvalidParameterException',
    );
    await expectCognitoError(create({ RefreshTokenValidity: 3651 }), 'InvalidParameterException');
    await expectCognitoError(
      create({ AuthSessionValidity: 16 }),
      'InvalidParameterException',
      "1 validation error detected: Value '16' at 'authSessionValidity' failed to satisfy constraint: Member must have value less than or equal to 15",
    );
    await expectCognitoError(
      t.client.send(new CreateUserPoolClientCommand({ UserPoolId: 'us-east-1_Nope12345', ClientName: 'x' })),
      'ResourceNotFoundException',
    );
  });

  it('lists clients page by page', async () => {
    const otherPool = await newPool(t);
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const { UserPoolClient } = await t.client.send(
        new CreateUserPoolClientCommand({ UserPoolId: otherPool, ClientName: `client-${i}` }),
      );
      ids.add(UserPoolClient!.ClientId!);
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await t.client.send(
        new ListUserPoolClientsCommand({ UserPoolId: otherPool, MaxResults: 2, NextToken: token }),
      );
      for (const client of page.UserPoolClients!) {
        expect(client.UserPoolId).toBe(otherPool);
        expect(client.ClientName).toMatch(/^client-\d$/);
        seen.push(client.ClientId!);
      }
      token = page.NextToken;
    } while (token);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('updates a client (omitted settings return to defaults, the secret stays) and deletes it', async () => {
    const { UserPoolClient: created } = await t.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'to-update',
        GenerateSecret: true,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        AuthSessionValidity: 10,
      }),
    );
    const clientId = created!.ClientId!;
    const { UserPoolClient: updated } = await t.client.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ClientName: 'renamed',
        ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    expect(updated).toMatchObject({
      ClientName: 'renamed',
      ClientSecret: created!.ClientSecret,
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AuthSessionValidity: 3,
    });

    const other = await newPool(t);
    await expectCognitoError(
      t.client.send(new DescribeUserPoolClientCommand({ UserPoolId: other, ClientId: clientId })),
      'ResourceNotFoundException',
      `User pool client ${clientId} does not exist.`,
    );

    await t.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    await expectCognitoError(
      t.client.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })),
      'ResourceNotFoundException',
    );
    await expectCognitoError(
      t.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })),
      'ResourceNotFoundException',
    );
  });
});
