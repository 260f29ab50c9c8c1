import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DescribeUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isHealthy } from '@/lib/studio';
import { createCognitoIdentityClient } from '@/server/cognito/identity-client';
import { deleteIdentityPool, findIdentityPool } from '@/server/cognito/identity-pool';
import { deleteUserPool, updateUserPool } from '@/server/cognito/pool-state';
import { provision } from '@/server/cognito/provision';
import { findUserPoolId, triggerFunctionName, triggerKinds } from '@/server/cognito/resources';
import { type MembersFixture, startMembersFixture } from '@/server/members/test-fixture';
import { type FakeAccount, fakeAccount, invokeStatement } from './aws-fakes.fixture';
import type { StudioContext } from './context';
import { FULL_ACCESS_MANAGED_POLICY, groupRoleName, groupRoleTrust, TRIGGER_RUNTIME } from './definitions';
import { identityPoolsOf } from './identity-pools';
import { disableStudio, enableStudio, planDisable } from './lifecycle';
import { readMembersExport } from './members-export';
import { inspectAndJudge, repairStudio } from './repair';

// doctor in AWS mode: Cognito and Cognito Identity are the embedded service (the same API as AWS);
// IAM and Lambda have no local engine here, so they are aws-sdk-client-mock clients over an in-memory
// account (./aws-fakes.fixture.ts). What is asserted is what doctor reports and what it sends.

const APP_ID = 'awsdoctor';
const SHORT_CODE = 'members1'; // the members fixture registers the triggers under it
let fixture: MembersFixture;
let account: FakeAccount;
let ctx: StudioContext;
let identity: ReturnType<typeof createCognitoIdentityClient>;
let poolId: string;
let poolArn: string;
let identityPoolId: string;

const env = {
  identityBackend: 'aws' as const,
  appId: APP_ID,
  appIdGiven: true,
  shortCode: SHORT_CODE,
  awsRegion: 'us-east-1',
  awsAccountId: '000000000000',
  userPoolId: undefined,
  identityPoolId: undefined,
  bootstrapAdminEmail: 'admin@example.com',
  sessionTtlMs: 3_600_000,
  dataDir: '',
};

beforeAll(async () => {
  fixture = await startMembersFixture();
  env.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-aws-'));
  identity = createCognitoIdentityClient({
    identityBackend: 'local',
    cognitoEndpoint: fixture.service.url,
    awsRegion: 'us-east-1',
  });
});

afterAll(async () => {
  identity?.destroy();
  await fixture?.close();
  fs.rmSync(env.dataDir, { recursive: true, force: true });
});

const POLICY_ARN = `arn:aws:iam::000000000000:policy/studio-access-console-${APP_ID}`;

/** The console's policy as the stack writes it, naming the pool, identity pool and roles of the time. */
function consolePolicyDocument(pool: { arn: string; id: string }, identityPool: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['cognito-idp:AdminGetUser', 'cognito-idp:ListUsers'], Resource: pool.arn },
      {
        Effect: 'Allow',
        Action: 'cognito-identity:DescribeIdentityPool',
        Resource: `arn:aws:cognito-identity:us-east-1:000000000000:identitypool/${identityPool}`,
      },
      {
        Effect: 'Allow',
        Action: ['iam:GetRole', 'iam:PassRole'],
        Resource: [
          `arn:aws:iam::000000000000:role/${pool.id}_Full-access`,
          `arn:aws:iam::000000000000:role/${pool.id}_Manage-only`,
        ],
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/studio',
      },
    ],
  };
}

/** The account as the stack leaves it: two roles trusting the identity pool, four current functions. */
function deployStack(): void {
  account.roles.clear();
  account.functions.clear();
  account.policies.set(POLICY_ARN, {
    versions: [JSON.stringify(consolePolicyDocument({ arn: poolArn, id: poolId }, identityPoolId))],
  });
  for (const level of ['full', 'manage'] as const) {
    account.roles.set(groupRoleName(poolId, level), {
      arn: `arn:aws:iam::000000000000:role/${groupRoleName(poolId, level)}`,
      trust: JSON.stringify(groupRoleTrust(identityPoolId)),
      attached: new Set(level === 'full' ? [`arn:aws:iam::aws:policy/${FULL_ACCESS_MANAGED_POLICY}`] : []),
      inline: new Map(),
    });
  }
  for (const kind of triggerKinds) {
    const arn = `arn:aws:lambda:us-east-1:000000000000:function:${triggerFunctionName(kind, SHORT_CODE)}`;
    account.functions.set(triggerFunctionName(kind, SHORT_CODE), {
      arn,
      runtime: TRIGGER_RUNTIME,
      statements: [invokeStatement(poolArn, arn)],
    });
  }
}

beforeEach(async () => {
  const pool = await provision(fixture.client, { ...env, awsAccountId: '000000000000' }, identity);
  poolId = pool.poolId;
  poolArn = pool.poolArn;
  identityPoolId = pool.identityPoolId!;
  account = fakeAccount();
  deployStack();
  ctx = {
    env,
    cognito: fixture.client,
    identityPools: identityPoolsOf(identity, env),
    aws: { iam: account.iam, lambda: account.lambda },
    invites: fixture.stores.invites,
    activity: fixture.stores.activity,
    now: Date.now,
  };
});

afterEach(async () => {
  account.restore();
  // Each test starts from a fresh pool and identity pool of the same name.
  const current = await findIdentityPool(identity, { appId: APP_ID, awsRegion: 'us-east-1' });
  if (current) await deleteIdentityPool(identity, current);
  const pool = await findUserPoolId(fixture.client, env);
  if (pool) await deleteUserPool(fixture.client, pool);
});

describe('doctor in AWS mode', () => {
  it('a Studio as the stack deploys it is healthy: roles trusted by the identity pool, triggers current and invokable', async () => {
    const { report } = await inspectAndJudge(ctx);
    expect(report.findings).toEqual([]);
    expect(report.mode).toBe('aws');
    const role = report.resources.find((r) => r.key === 'role:full');
    expect(role).toMatchObject({ state: 'ok', name: `${poolId}_Full-access` });
    const trigger = report.resources.find((r) => r.key === 'trigger:custom-message');
    expect(trigger).toMatchObject({ state: 'ok', detail: TRIGGER_RUNTIME });
    expect(report.resources.find((r) => r.key === 'console-policy')).toMatchObject({
      state: 'ok',
      name: `studio-access-console-${APP_ID}`,
      id: POLICY_ARN,
    });
  });

  it('finds a missing role, a role trusting another identity pool, a deprecated runtime, a trigger the pool may not invoke and a missing function; repairs all but the last', async () => {
    account.roles.delete(groupRoleName(poolId, 'full'));
    account.roles.get(groupRoleName(poolId, 'manage'))!.trust = JSON.stringify(
      groupRoleTrust('us-east-1:00000000-0000-0000-0000-000000000000'),
    );
    account.functions.get(triggerFunctionName('custom-message', SHORT_CODE))!.runtime = 'nodejs18.x';
    account.functions.get(triggerFunctionName('create-auth-challenge', SHORT_CODE))!.statements = [];
    account.functions.delete(triggerFunctionName('verify-auth-challenge', SHORT_CODE));

    const { report } = await inspectAndJudge(ctx);
    expect(report.findings.map((f) => [f.key, f.repairable])).toEqual([
      ['role:full', true],
      ['role:manage', true],
      ['trigger:create-auth-challenge', true],
      ['trigger:custom-message', true],
      ['trigger:verify-auth-challenge', false],
    ]);
    expect(report.findings[1]!.problem).toBe(
      `It trusts the identity pool us-east-1:00000000-0000-0000-0000-000000000000, not ${identityPoolId}.`,
    );

    const { outcomes, report: after } = await repairStudio(ctx, { actor: 'ops@example.com' });
    expect(outcomes.map((o) => [o.key, o.outcome])).toEqual([
      ['role:full', 'repaired'],
      ['role:manage', 'repaired'],
      ['trigger:create-auth-challenge', 'repaired'],
      ['trigger:custom-message', 'repaired'],
    ]);
    expect(after.findings.map((f) => f.key)).toEqual(['trigger:verify-auth-challenge']);

    const created = account.roles.get(groupRoleName(poolId, 'full'))!;
    expect(JSON.parse(created.trust)).toEqual(groupRoleTrust(identityPoolId));
    expect([...created.attached]).toEqual([`arn:aws:iam::aws:policy/${FULL_ACCESS_MANAGED_POLICY}`]);
    expect(JSON.parse(account.roles.get(groupRoleName(poolId, 'manage'))!.trust)).toEqual(
      groupRoleTrust(identityPoolId),
    );
    expect(account.functions.get(triggerFunctionName('custom-message', SHORT_CODE))!.runtime).toBe(
      TRIGGER_RUNTIME,
    );
    expect(account.writes).toContainEqual([
      'AddPermission',
      expect.objectContaining({
        FunctionName: triggerFunctionName('create-auth-challenge', SHORT_CODE),
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: poolArn,
        Action: 'lambda:InvokeFunction',
      }),
    ]);
    const logged = await fixture.stores.activity.list({ member: 'ops@example.com', limit: 10 });
    expect(logged.entries.filter((entry) => entry.action === 'studio-repair')).toHaveLength(4);
  });

  it("a re-created identity pool gets the roles' trust and the console's policy moved to it in the same repair", async () => {
    await deleteIdentityPool(identity, identityPoolId);
    // The roles' trust can only be judged against an identity pool that exists.
    const { report } = await inspectAndJudge(ctx);
    expect(report.findings.map((f) => f.key)).toEqual(['identity-pool']);
    const { outcomes, report: after } = await repairStudio(ctx);
    expect(outcomes.map((o) => [o.key, o.outcome])).toEqual([
      ['identity-pool', 'repaired'],
      ['role:full', 'repaired'],
      ['role:manage', 'repaired'],
      ['console-policy', 'repaired'],
    ]);
    expect(after.findings).toEqual([]);
    const moved = await findIdentityPool(identity, { appId: APP_ID, awsRegion: 'us-east-1' });
    expect(moved).not.toBe(identityPoolId);
    expect(JSON.parse(account.roles.get(groupRoleName(poolId, 'full'))!.trust)).toEqual(
      groupRoleTrust(moved!),
    );
  });

  it('with the console’s own credentials, IAM and Lambda repairs fail and say who can make them; Cognito ones go through', async () => {
    account.denied = new Set([
      'CreateRole',
      'UpdateAssumeRolePolicy',
      'UpdateFunctionConfiguration',
      'AddPermission',
    ]);
    account.roles.get(groupRoleName(poolId, 'manage'))!.trust = JSON.stringify(
      groupRoleTrust('us-east-1:other'),
    );
    const { UpdateGroupCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    await fixture.client.send(
      new UpdateGroupCommand({
        UserPoolId: poolId,
        GroupName: 'Full-access',
        RoleArn: 'arn:aws:iam::000000000000:role/x',
        Precedence: 1,
      }),
    );
    const { outcomes } = await repairStudio(ctx);
    expect(outcomes).toEqual([
      expect.objectContaining({
        key: 'role:manage',
        outcome: 'failed',
        message: expect.stringMatching(
          /not authorized to perform: iam:UpdateAssumeRolePolicy[\s\S]*npm run studio -- doctor --repair/,
        ),
      }),
      expect.objectContaining({ key: 'group:full', outcome: 'repaired' }),
    ]);
  });

  it('IAM refusing the reads (or no IAM at all, as under aws:local): the roles are not checked, and the report says why', async () => {
    account.denied = new Set(['GetRole']);
    const { report } = await inspectAndJudge(ctx);
    expect(report.findings).toEqual([]);
    expect(report.unreadable).toEqual([
      {
        key: 'role:full',
        resource: `IAM role ${poolId}_Full-access`,
        reason: 'User is not authorized to perform: iam:GetRole',
      },
      {
        key: 'role:manage',
        resource: `IAM role ${poolId}_Manage-only`,
        reason: 'User is not authorized to perform: iam:GetRole',
      },
    ]);
    expect(report.resources.find((r) => r.key === 'role:full')?.state).toBe('unchecked');
    expect(isHealthy(report)).toBe(false);
  });

  it('disable deletes the pool (deletion protection off first), the identity pool and the roles; enable creates them again with the triggers attached and invokable', async () => {
    // As the stack creates it.
    const sesEmail = {
      EmailSendingAccount: 'DEVELOPER' as const,
      SourceArn: 'arn:aws:ses:us-east-1:000000000000:identity/example.com',
      From: 'Studio <no-reply@example.com>',
    };
    await updateUserPool(fixture.client, poolId, { deletionProtection: true, email: sesEmail });
    // Configured as the console is, from the stack's outputs.
    ctx = {
      ...ctx,
      env: { ...env, userPoolId: poolId },
      identityPools: identityPoolsOf(identity, { ...env, identityPoolId }),
    };
    const plan = await planDisable(ctx);
    const disabled = await disableStudio(ctx, plan, {
      actor: 'ops',
      exportFile: path.join(env.dataDir, `team-${Date.now()}.json`),
    });
    expect(disabled.deleted).toEqual([
      `identity pool amplify_backend_manager_${APP_ID}`,
      `user pool amplify_backend_manager_${APP_ID} (${poolId}) with 1 member`,
      `role ${poolId}_Full-access`,
      `role ${poolId}_Manage-only`,
    ]);
    expect(account.roles.size).toBe(0);

    // Everyone in the export is invited again at their level; the new pool mails through the same SES.
    const invited: Array<[string[], string]> = [];
    const enabled = await enableStudio(ctx, {
      actor: 'ops',
      reinvite: {
        file: readMembersExport(disabled.exportFile),
        invite: async (emails, level) => {
          invited.push([emails, level]);
          return emails.map((email) => ({ email, outcome: 'invited', message: 'Invited.' }));
        },
      },
    });
    expect(invited).toEqual([[['admin@example.com'], 'full']]);
    expect(enabled.created.filter((o) => o.outcome !== 'repaired')).toEqual([]);
    const newPool = enabled.report.resources.find((r) => r.key === 'user-pool')!.id!;
    const newIdentityPoolId = await findIdentityPool(identity, { appId: APP_ID, awsRegion: 'us-east-1' });
    // One pool, found by name; what is left is the console's configuration, which says what to set.
    expect(enabled.created[0]!.message).toMatch(`Set USER_POOL_ID=${newPool} in the console's environment.`);
    // The team finding passes once the invited admin accepts; the rest is the console's configuration.
    expect(
      enabled.report.findings.filter((f) => f.key !== 'team').map((f) => [f.key, f.repairable, f.remedy]),
    ).toEqual([
      ['user-pool', false, `Set USER_POOL_ID=${newPool} in the console's environment.`],
      ['identity-pool', false, `Set IDENTITY_POOL_ID=${newIdentityPoolId} in the console's environment.`],
    ]);
    const { UserPools = [] } = await fixture.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(UserPools.filter((p) => p.Name === `amplify_backend_manager_${APP_ID}`)).toHaveLength(1);
    expect(newPool).not.toBe(poolId);
    expect([...account.roles.keys()].sort()).toEqual([`${newPool}_Full-access`, `${newPool}_Manage-only`]);
    // The console's policy names the new pool, identity pool and roles; the rest is as it was.
    const { UserPool } = await fixture.client.send(new DescribeUserPoolCommand({ UserPoolId: newPool }));
    const versions = account.policies.get(POLICY_ARN)!.versions;
    expect(versions).toHaveLength(2);
    expect(JSON.parse(versions[1]!)).toEqual(
      consolePolicyDocument({ arn: UserPool!.Arn!, id: newPool }, newIdentityPoolId!),
    );
    expect(UserPool?.DeletionProtection).toBe('ACTIVE');
    expect(UserPool?.EmailConfiguration).toEqual(sesEmail);
    expect(UserPool?.LambdaConfig?.CustomMessage).toBe(
      account.functions.get(triggerFunctionName('custom-message', SHORT_CODE))!.arn,
    );
    expect(
      account.writes.filter(
        ([command, input]) =>
          command === 'AddPermission' && (input as { SourceArn: string }).SourceArn === UserPool?.Arn,
      ),
    ).toHaveLength(4);
  });
});
