import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CognitoIdentityClient,
  GetIdentityPoolRolesCommand,
  ListIdentityPoolsCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  AdminListGroupsForUserCommand,
  DeleteGroupCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  UpdateGroupCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLevel } from '@/lib/access-levels';
import { openSqliteSessionStore } from '@/server/auth/session-store-sqlite';
import { createCognitoClient } from '@/server/cognito/client';
import { findMemberRecordByEmail, listUserRecords } from '@/server/cognito/members';
import { type Env, loadEnv } from '@/server/env';
import { readOutbox } from '@/server/mail/outbox';
import type { Actor, MembersContext } from '@/server/members/context';
import { inviteMembers } from '@/server/members/service';
import { openSqliteMemberStores } from '@/server/members/sqlite';
import { teamLease } from '@/server/members/team-lease';
import { openSqliteTeamLock } from '@/server/members/team-lock-sqlite';
import { type IdentityBackend, StudioDisabledError, startIdentityBackend } from '@/server/runtime';
import { runScript } from './cli.fixture';
import { freePort } from './free-port';
import { doctorExit, formatFindings } from './studio';

// `npm run studio` end to end in local mode: the embedded service runs in this process, as `npm start`
// runs it, and each command is its own process, as an operator runs it. Doctor finds what was broken
// on purpose and repairs it without losing a member or a level; disable then enable --reinvite brings
// the same team back at the same levels, each with a new invitation.

let vars: Record<string, string>;
let env: Env;
let backend: IdentityBackend;
let dataDir: string;

const studio = (...args: string[]) => runScript('scripts/studio.ts', args, vars);

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-cli-'));
  vars = {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    COGNITO_LOCAL_PORT: String(await freePort()),
  };
  env = loadEnv({ ...vars, NODE_ENV: 'production' });
  backend = await startIdentityBackend(env, () => {});
}, 60_000);

afterAll(async () => {
  await backend?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The members service on this data directory, as the console has it. */
function membersContext(poolId: string): { context: MembersContext; close(): void } {
  const client = createCognitoClient(env);
  const stores = openSqliteMemberStores(dataDir);
  const sessions = openSqliteSessionStore(dataDir);
  const lock = openSqliteTeamLock(dataDir);
  return {
    context: {
      cognito: { client, poolId, now: Date.now },
      invites: stores.invites,
      activity: stores.activity,
      sessions,
      teamLease: teamLease(lock),
      createLimiter: { take: async () => {} },
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, sleep: async () => {}, random: () => 0 },
      settleMs: 60_000,
      readConcurrency: 4,
    },
    close() {
      client.destroy();
      stores.close();
      sessions.close();
      lock.close();
    },
  };
}

const ADMIN: Actor = { username: 'admin', email: 'admin@example.com', accessLevel: 'full' };

async function currentPoolId(): Promise<string | undefined> {
  const client = createCognitoClient(env);
  try {
    const { UserPools = [] } = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    return UserPools.find((pool) => pool.Name === `amplify_backend_manager_${env.appId}`)?.Id;
  } finally {
    client.destroy();
  }
}

/** Every member of the pool with their groups. */
async function team(poolId: string): Promise<Record<string, { groups: string[]; status: string }>> {
  const client = createCognitoClient(env);
  try {
    const ctx = { client, poolId, now: Date.now };
    const { members } = await listUserRecords(ctx, { limit: 60 });
    const entries = await Promise.all(
      members.map(async (member) => {
        const { Groups = [] } = await client.send(
          new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: member.username }),
        );
        return [
          member.email,
          { groups: Groups.map((g) => g.GroupName ?? '').sort(), status: member.status },
        ] as const;
      }),
    );
    return Object.fromEntries(entries);
  } finally {
    client.destroy();
  }
}

function identityClient(): CognitoIdentityClient {
  return new CognitoIdentityClient({
    endpoint: env.cognitoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

async function inviteTeam(poolId: string, invitations: Array<[string, AccessLevel]>) {
  const members = membersContext(poolId);
  try {
    for (const [email, level] of invitations) {
      const [result] = await inviteMembers(ADMIN, [email], level, members.context);
      expect(result?.outcome).toBe('invited');
    }
  } finally {
    members.close();
  }
}

describe('npm run studio in local mode', () => {
  it('status lists every managed resource with its name as in the reference', async () => {
    const result = await studio('status');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const poolId = backend.pool.poolId;
    for (const line of [
      new RegExp(`OK\\s+User pool\\s+amplify_backend_manager_${env.appId}\\s+${poolId}`),
      /OK\s+App client\s+studio-access-console/,
      /OK\s+Group\s+Full-access/,
      /OK\s+Group\s+Manage-only/,
      new RegExp(
        `Not checked\\s+IAM role\\s+${poolId}_Full-access\\s+arn:aws:iam::000000000000:role/${poolId}_Full-access`,
      ),
      new RegExp(`OK\\s+Identity pool\\s+amplify_backend_manager_${env.appId}\\s+us-east-1:`),
      new RegExp(`OK\\s+Lambda trigger\\s+amplify-login-define-auth-challenge-${env.shortCode}`),
      /OK\s+Team\s+Full-access members/,
    ]) {
      expect(result.stdout).toMatch(line);
    }
  });

  it('doctor finds a deleted group, a group on the wrong role, a detached trigger and a broken identity pool; --repair fixes each and keeps the team', async () => {
    const poolId = backend.pool.poolId;
    await inviteTeam(poolId, [
      ['full.one@example.com', 'full'],
      ['manage.one@example.com', 'manage'],
      ['manage.two@example.com', 'manage'],
    ]);
    const before = await team(poolId);
    expect(Object.keys(before)).toHaveLength(4);
    expect(await studio('doctor')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Healthy/) });

    // Break what Amplify Studio users break.
    const client = createCognitoClient(env);
    const identity = identityClient();
    try {
      await client.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'Manage-only' }));
      await client.send(
        new UpdateGroupCommand({
          UserPoolId: poolId,
          GroupName: 'Full-access',
          RoleArn: 'arn:aws:iam::000000000000:role/someone-elses-role',
          Precedence: 1,
        }),
      );
      const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
      const { VerifyAuthChallengeResponse: _detached, ...lambdaConfig } = UserPool?.LambdaConfig ?? {};
      await client.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          Policies: UserPool?.Policies,
          AdminCreateUserConfig: UserPool?.AdminCreateUserConfig,
          AutoVerifiedAttributes: UserPool?.AutoVerifiedAttributes,
          LambdaConfig: lambdaConfig,
        }),
      );
      // The console's app client loses the flow email links sign in with.
      await client.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientId: backend.pool.clientId,
          ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        }),
      );
      const { IdentityPools = [] } = await identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
      const identityPoolId = IdentityPools[0]?.IdentityPoolId;
      const roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId }));
      const [provider, mapping] = Object.entries(roles.RoleMappings ?? {})[0] ?? [];
      await identity.send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: identityPoolId,
          Roles: { authenticated: 'arn:aws:iam::000000000000:role/anyone' },
          RoleMappings: { [provider!]: { ...mapping!, AmbiguousRoleResolution: 'AuthenticatedRole' } },
        }),
      );
    } finally {
      client.destroy();
      identity.destroy();
    }

    const found = await studio('doctor');
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(/✗ Group Manage-only: The group does not exist/);
    expect(found.stdout).toMatch(
      /✗ Group Full-access: It points at the role arn:aws:iam::000000000000:role\/someone-elses-role/,
    );
    expect(found.stdout).toMatch(
      new RegExp(
        `✗ Lambda trigger amplify-login-verify-auth-challenge-${env.shortCode}: Detached from the user pool`,
      ),
    );
    expect(found.stdout).toMatch(new RegExp(`✗ Identity pool amplify_backend_manager_${env.appId}: .*`));
    expect(found.stdout).toMatch(
      /✗ App client studio-access-console: Sign-in flows missing: ALLOW_CUSTOM_AUTH\./,
    );
    expect(found.stdout).toMatch(/can be repaired in place/);

    const repaired = await studio('doctor', '--repair');
    expect(repaired.stderr).toBe('');
    expect(repaired.stdout).toMatch(
      /✓ repaired\s+Group Manage-only: Re-created it\. 2 members have Manage only again\./,
    );
    expect(repaired.stdout).toMatch(/✓ repaired\s+Group Full-access:/);
    expect(repaired.stdout).toMatch(/✓ repaired\s+App client studio-access-console:/);
    expect(repaired.stdout).toMatch(
      /✓ repaired\s+Lambda trigger amplify-login-verify-auth-challenge-\w+: Attached to the user pool/,
    );
    expect(repaired.stdout).toMatch(
      new RegExp(`✓ repaired\\s+Identity pool amplify_backend_manager_${env.appId}:`),
    );
    expect(repaired.stdout).toMatch(/Healthy/);
    expect(repaired.code).toBe(0);

    expect(await team(poolId)).toEqual(before);
    expect(await studio('doctor')).toMatchObject({ code: 0 });
  }, 120_000);

  it('doctor finds nobody who can manage the team, and --repair makes BOOTSTRAP_ADMIN_EMAIL one', async () => {
    const poolId = backend.pool.poolId;
    const client = createCognitoClient(env);
    try {
      // Everyone out of Full access: the invited Full-access member never accepted, the admin is removed.
      const admin = await findMemberRecordByEmail({ client, poolId, now: Date.now }, 'admin@example.com');
      const { AdminRemoveUserFromGroupCommand } = await import('@aws-sdk/client-cognito-identity-provider');
      await client.send(
        new AdminRemoveUserFromGroupCommand({
          UserPoolId: poolId,
          Username: admin!.username,
          GroupName: 'Full-access',
        }),
      );
    } finally {
      client.destroy();
    }
    const found = await studio('doctor');
    expect(found.code).toBe(1);
    expect(found.stdout).toMatch(/✗ Team: No active Full-access member/);
    const repaired = await studio('doctor', '--repair');
    expect(repaired.stdout).toMatch(/admin@example\.com is an active Full-access member/);
    expect(repaired.code).toBe(0);
    expect((await team(poolId))['admin@example.com']?.groups).toEqual(['Full-access']);
  }, 60_000);

  it('disable asks for the app id; with it, exports the team and deletes the pools; enable --reinvite brings everyone back at their level, each with a new invitation', async () => {
    const oldPoolId = backend.pool.poolId;
    const before = await team(oldPoolId);
    const levels = Object.fromEntries(Object.entries(before).map(([email, m]) => [email, m.groups]));

    // Without a terminal to ask on, and with the wrong app id, nothing changes.
    const unconfirmed = await studio('disable');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stdout).toMatch(new RegExp(`${Object.keys(before).length} members will lose access`));
    expect(unconfirmed.stderr).toMatch(`pass --confirm ${env.appId}`);
    expect((await studio('disable', '--confirm', 'not-the-app')).code).toBe(2);
    expect(await currentPoolId()).toBe(oldPoolId);

    const exportFile = path.join(dataDir, 'team.json');
    const disabled = await studio('disable', '--confirm', env.appId, '--export', exportFile);
    expect(disabled.stderr).toBe('');
    expect(disabled.code).toBe(0);
    expect(disabled.stdout).toMatch(`Exported 4 members to ${exportFile}`);
    expect(fs.statSync(exportFile).mode & 0o777).toBe(0o600);
    const exported = JSON.parse(fs.readFileSync(exportFile, 'utf8')) as {
      members: Array<{ email: string; accessLevel: string }>;
    };
    expect(exported.members.map((m) => [m.email, m.accessLevel])).toEqual([
      ['admin@example.com', 'full'],
      ['full.one@example.com', 'full'],
      ['manage.one@example.com', 'manage'],
      ['manage.two@example.com', 'manage'],
    ]);
    expect(await currentPoolId()).toBeUndefined();
    const identity = identityClient();
    try {
      expect((await identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }))).IdentityPools).toEqual(
        [],
      );
    } finally {
      identity.destroy();
    }
    // Disabled on purpose: doctor says so and does not offer to make an empty pool; nor does npm start.
    const afterDisable = await studio('doctor');
    expect(afterDisable.code).toBe(1);
    expect(afterDisable.stdout).toMatch(
      /Studio is disabled \(since .+\): the user pool was deleted on purpose/,
    );
    expect(afterDisable.stdout).toContain(
      `Not repairable here: npm run studio -- enable --reinvite ${exportFile}`,
    );
    await expect(startIdentityBackend(env, () => {})).rejects.toBeInstanceOf(StudioDisabledError);
    // A second disable has nothing to disable, and says so.
    expect(await studio('disable', '--confirm', env.appId)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Studio is not enabled/),
    });

    const sentBefore = readOutbox(dataDir).length;
    const enabled = await studio('enable', '--reinvite', exportFile);
    expect(enabled.stderr).toBe('');
    expect(enabled.code).toBe(0);
    for (const email of Object.keys(before))
      expect(enabled.stdout).toMatch(new RegExp(`invited\\s+${email}`));

    const newPoolId = await currentPoolId();
    expect(newPoolId).toBeDefined();
    expect(newPoolId).not.toBe(oldPoolId);
    const after = await team(newPoolId!);
    expect(Object.fromEntries(Object.entries(after).map(([email, m]) => [email, m.groups]))).toEqual(levels);
    expect(Object.values(after).map((m) => m.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    const invitations = readOutbox(dataDir).slice(sentBefore);
    expect(invitations.map((mail) => mail.to).sort()).toEqual(Object.keys(before).sort());
    expect(invitations.every((mail) => /temporary password/i.test(mail.text))).toBe(true);

    expect(fs.existsSync(path.join(dataDir, 'studio-disabled.json'))).toBe(false);
    // enable again: it is enabled already.
    expect(await studio('enable')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/enabled already/),
    });
    expect(await studio('enable', '--reinvite', path.join(dataDir, 'nope.json'))).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/nope\.json: no such file/),
    });
  }, 180_000);

  it('exits 0 healthy, 1 with drift (whatever else), 2 when not everything could be checked', () => {
    const finding = { key: 'team', resource: 'Team', problem: 'x', repairable: true, remedy: null };
    const unreadable = { key: 'role:full', resource: 'IAM role r', reason: 'denied' };
    expect(doctorExit({ findings: [], unreadable: [] })).toBe(0);
    expect(doctorExit({ findings: [finding], unreadable: [unreadable] })).toBe(1);
    expect(doctorExit({ findings: [], unreadable: [unreadable] })).toBe(2);
    expect(formatFindings({ findings: [], unreadable: [unreadable] })).toBe(
      'No problem found in what could be checked.\n\nCould not check:\n  ? IAM role r: denied',
    );
  });

  it('refuses unknown commands and flags with its usage', async () => {
    expect(await studio('explode')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown command "explode"[\s\S]*Usage/),
    });
    expect(await studio('status', '--repair')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/status does not take "--repair"/),
    });
    expect(await studio('disable', '--confirm')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--confirm needs a value/),
    });
  });
});
