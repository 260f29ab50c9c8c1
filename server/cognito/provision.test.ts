import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type CognitoIdentityClient,
  DeleteIdentityPoolCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  type CognitoIdentityProviderClient,
  DeleteGroupCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import type { MailMessage } from '@/server/mail/types';
import { createCognitoClient } from './client';
import { createCognitoIdentityClient } from './identity-client';
import { expectedIdentityPool, identityPoolDrift, readIdentityPool } from './identity-pool';
import { findMemberByEmail, listUserRecords } from './members';
import { type ProvisionEnv, provision } from './provision';
import { triggerFunctionName, triggerKinds } from './resources';

const env: ProvisionEnv = {
  appId: 'd1a2b3c4d5e6f7',
  shortCode: 'abcd1234',
  awsRegion: 'us-east-1',
  awsAccountId: '000000000000',
  userPoolId: undefined,
  bootstrapAdminEmail: 'admin@example.com',
  sessionTtlMs: (5 * 60 + 30) * 60_000,
};

interface Started {
  service: LocalCognito;
  client: CognitoIdentityProviderClient;
  identity: CognitoIdentityClient;
  mail: MailMessage[];
  invocations: string[];
}

const running: Started[] = [];

async function start(dataDir: string): Promise<Started> {
  const mail: MailMessage[] = [];
  const invocations: string[] = [];
  // Every trigger the pool names exists and records its calls; provisioning must call none of them.
  const lambdas = Object.fromEntries(
    triggerKinds.map((kind) => [
      triggerFunctionName(kind, env.shortCode),
      async (event: unknown) => {
        invocations.push(kind);
        return event;
      },
    ]),
  );
  const service = await startLocalCognito({
    dataDir,
    port: 0,
    lambdas,
    mailer: { send: async (message) => void mail.push(message) },
    log: () => {},
  });
  const clientEnv = {
    identityBackend: 'local' as const,
    cognitoEndpoint: service.url,
    awsRegion: 'us-east-1',
  };
  const client = createCognitoClient(clientEnv);
  const identity = createCognitoIdentityClient(clientEnv);
  const started = { service, client, identity, mail, invocations };
  running.push(started);
  return started;
}

async function stop(started: Started) {
  running.splice(running.indexOf(started), 1);
  started.client.destroy();
  started.identity.destroy();
  await started.service.close();
}

afterEach(async () => {
  for (const started of [...running]) await stop(started);
});

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'provision-test-'));
}

const lambdaArn = (kind: string) =>
  `arn:aws:lambda:us-east-1:000000000000:function:amplify-login-${kind}-abcd1234`;

describe('provision', () => {
  it('creates the pool, app client, groups and bootstrap admin with Amplify Studio names', async () => {
    const { client, identity, mail, invocations } = await start(tempDir());

    const result = await provision(client, env, identity);
    expect(result.created).toBe(true);
    expect(result.bootstrapCreated).toBe(true);
    expect(result.poolId).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(result.poolArn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${result.poolId}`);
    expect(result.identityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(result.repaired).toEqual([]);

    // The identity pool of the same name, mapping the console client's tokens to the groups' roles.
    const identityPool = await readIdentityPool(identity, result.identityPoolId!);
    expect(identityPool.name).toBe('amplify_backend_manager_d1a2b3c4d5e6f7');
    expect(identityPoolDrift(identityPool, expectedIdentityPool(env, result))).toEqual([]);
    expect(identityPool.roleMappings).toEqual({
      [`cognito-idp.us-east-1.amazonaws.com/${result.poolId}:${result.clientId}`]: {
        type: 'Token',
        ambiguousRoleResolution: 'Deny',
      },
    });

    const { UserPool: pool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: result.poolId }));
    expect(pool?.Name).toBe('amplify_backend_manager_d1a2b3c4d5e6f7');
    expect(pool?.UsernameAttributes).toEqual(['email']);
    expect(pool?.UsernameConfiguration?.CaseSensitive).toBe(false);
    expect(pool?.AutoVerifiedAttributes).toEqual(['email']);
    expect(pool?.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(true);
    expect(pool?.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays).toBe(7);
    expect(pool?.LambdaConfig).toMatchObject({
      DefineAuthChallenge: lambdaArn('define-auth-challenge'),
      CreateAuthChallenge: lambdaArn('create-auth-challenge'),
      VerifyAuthChallengeResponse: lambdaArn('verify-auth-challenge'),
      CustomMessage: lambdaArn('custom-message'),
    });

    const { UserPoolClient: appClient } = await client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: result.poolId, ClientId: result.clientId }),
    );
    expect(appClient?.ClientName).toBe('studio-access-console');
    expect([...(appClient?.ExplicitAuthFlows ?? [])].sort()).toEqual([
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_CUSTOM_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
    expect(appClient?.ClientSecret).toBeUndefined();
    expect(appClient?.PreventUserExistenceErrors).toBe('ENABLED');
    expect(appClient?.AccessTokenValidity).toBe(330);
    expect(appClient?.TokenValidityUnits?.AccessToken).toBe('minutes');

    for (const group of ['Full-access', 'Manage-only']) {
      const { Group } = await client.send(
        new GetGroupCommand({ UserPoolId: result.poolId, GroupName: group }),
      );
      expect(Group?.RoleArn).toBe(`arn:aws:iam::000000000000:role/${result.poolId}_${group}`);
      expect(Group?.Description).toMatch(
        group === 'Full-access' ? /^Studio Access: Full access\./ : /Manage only/,
      );
    }

    const admin = await client.send(
      new AdminGetUserCommand({ UserPoolId: result.poolId, Username: 'admin@example.com' }),
    );
    expect(admin.Enabled).toBe(true);
    expect(admin.UserStatus).toBe('CONFIRMED');
    const groups = await client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: result.poolId, Username: 'admin@example.com' }),
    );
    expect(groups.Groups?.map((g) => g.GroupName)).toEqual(['Full-access']);
    expect(mail).toEqual([]);
    expect(invocations).toEqual([]);

    const ctx = { client, poolId: result.poolId, now: Date.now };
    const admins = await listUserRecords(ctx, { limit: 60 });
    expect(admins.members).toEqual([
      expect.objectContaining({ email: 'admin@example.com', status: 'active', enabled: true }),
    ]);
    expect(await findMemberByEmail('Admin@Example.com', ctx)).toEqual({
      ...admins.members[0],
      accessLevel: 'full',
    });
  });

  it('reuses everything on a second start, including after a restart of the service', async () => {
    const dataDir = tempDir();
    const first = await start(dataDir);
    const created = await provision(first.client, env, first.identity);
    expect(await provision(first.client, env, first.identity)).toEqual({
      ...created,
      created: false,
      bootstrapCreated: false,
    });
    await stop(first);

    const second = await start(dataDir);
    const again = await provision(second.client, env, second.identity);
    expect(again).toEqual({ ...created, created: false, bootstrapCreated: false, repaired: [] });
    const pools = await second.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools?.filter((p) => p.Name === 'amplify_backend_manager_d1a2b3c4d5e6f7')).toHaveLength(
      1,
    );
    const members = await listUserRecords(
      { client: second.client, poolId: again.poolId, now: Date.now },
      { limit: 60 },
    );
    expect(members.members).toHaveLength(1);
  });

  it('leaves one pool, app client and identity pool when three processes start on a fresh service at once', async () => {
    const first = await start(tempDir());
    // A client each, as separate processes have: their calls interleave on the one service.
    const clientEnv = {
      identityBackend: 'local' as const,
      cognitoEndpoint: first.service.url,
      awsRegion: 'us-east-1',
    };
    const others = [1, 2].map(() => ({
      client: createCognitoClient(clientEnv),
      identity: createCognitoIdentityClient(clientEnv),
    }));
    try {
      const results = await Promise.all([
        provision(first.client, env, first.identity),
        ...others.map((o) => provision(o.client, env, o.identity)),
      ]);

      const { UserPools } = await first.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
      expect(UserPools?.map((p) => p.Id)).toEqual([results[0].poolId]);
      for (const result of results) {
        expect(result).toMatchObject({
          poolId: results[0].poolId,
          clientId: results[0].clientId,
          identityPoolId: results[0].identityPoolId,
        });
      }
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const { UserPoolClients } = await first.client.send(
        new ListUserPoolClientsCommand({ UserPoolId: results[0].poolId, MaxResults: 60 }),
      );
      expect(UserPoolClients?.map((c) => c.ClientId)).toEqual([results[0].clientId]);
      const members = await listUserRecords(
        { client: first.client, poolId: results[0].poolId, now: Date.now },
        { limit: 60 },
      );
      expect(members.members.map((m) => m.email)).toEqual(['admin@example.com']);
      expect(first.mail).toEqual([]);
    } finally {
      for (const o of others) {
        o.client.destroy();
        o.identity.destroy();
      }
    }
  });

  it('re-creates a deleted group and keeps the same ids', async () => {
    const { client, identity } = await start(tempDir());
    const created = await provision(client, env, identity);
    await client.send(new DeleteGroupCommand({ UserPoolId: created.poolId, GroupName: 'Manage-only' }));

    const repaired = await provision(client, env, identity);
    expect(repaired).toMatchObject({ poolId: created.poolId, clientId: created.clientId, created: false });
    expect(repaired.repaired).toEqual(['group Manage-only']);
    const { Group } = await client.send(
      new GetGroupCommand({ UserPoolId: created.poolId, GroupName: 'Manage-only' }),
    );
    expect(Group?.RoleArn).toBe(`arn:aws:iam::000000000000:role/${created.poolId}_Manage-only`);
  });

  it('re-creates a deleted identity pool and repairs a drifted one, keeping the user pool', async () => {
    const { client, identity } = await start(tempDir());
    const created = await provision(client, env, identity);
    await identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: created.identityPoolId }));

    const recreated = await provision(client, env, identity);
    expect(recreated).toMatchObject({ poolId: created.poolId, clientId: created.clientId, created: false });
    expect(recreated.identityPoolId).not.toBe(created.identityPoolId);
    expect(recreated.repaired).toEqual(['identity pool amplify_backend_manager_d1a2b3c4d5e6f7']);

    await identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: recreated.identityPoolId, Roles: {} }),
    );
    const repaired = await provision(client, env, identity);
    expect(repaired.identityPoolId).toBe(recreated.identityPoolId);
    expect(repaired.repaired).toEqual([
      `identity pool: role mapping for cognito-idp.us-east-1.amazonaws.com/${created.poolId}:${created.clientId} is missing`,
    ]);
    expect((await provision(client, env, identity)).repaired).toEqual([]);
  });

  it('gives a pool left without a Full-access member its bootstrap admin back, without creating a user', async () => {
    const { client, identity, mail } = await start(tempDir());
    const created = await provision(client, env, identity);
    await client.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: created.poolId,
        Username: 'admin@example.com',
        GroupName: 'Full-access',
      }),
    );
    const again = await provision(client, env, identity);
    expect(again.bootstrapCreated).toBe(true);
    const member = await findMemberByEmail('admin@example.com', {
      client,
      poolId: created.poolId,
      now: Date.now,
    });
    expect(member?.accessLevel).toBe('full');
    expect(mail).toEqual([]);
  });

  it('updates a LambdaConfig that no longer names this installation’s triggers', async () => {
    const { client, identity } = await start(tempDir());
    const created = await provision(client, env, identity);
    const moved = await provision(client, { ...env, shortCode: 'zz99zz99' }, identity);
    expect(moved.poolId).toBe(created.poolId);
    expect(moved.repaired).toContain('pool settings');
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: created.poolId }));
    expect(UserPool?.LambdaConfig?.CustomMessage).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:amplify-login-custom-message-zz99zz99',
    );
    expect(UserPool?.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(true);
  });

  it('refuses a USER_POOL_ID that does not exist instead of creating a pool', async () => {
    const { client, identity } = await start(tempDir());
    await expect(
      provision(client, { ...env, userPoolId: 'us-east-1_Missing12' }, identity),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: 'User pool us-east-1_Missing12 (USER_POOL_ID) does not exist',
    });
  });
});
