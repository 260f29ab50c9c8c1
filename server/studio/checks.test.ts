import { describe, expect, it } from 'vitest';
import type { RoleState } from '@/server/aws/iam';
import { triggerKinds } from '@/server/cognito/resources';
import { expectedTriggerArn, judge, trustProblems } from './checks';
import { groupRoleTrust } from './definitions';
import type { Snapshot } from './inspect';

// doctor's judgement on readings built by hand: each check names what is wrong and whether it can be
// repaired. The readings themselves are tested end to end against the embedded service
// (doctor.test.ts) and, for IAM and Lambda, against mocked clients (doctor-aws.test.ts).

const POOL_ARN = 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Abc';
const POOL_ID = 'eu-west-1_Abc';
const IDENTITY_POOL_ID = 'eu-west-1:11111111-2222-3333-4444-555555555555';
const names = {
  appId: 'app1',
  shortCode: 'abcd1234',
  userPool: 'amplify_backend_manager_app1',
  identityPool: 'amplify_backend_manager_app1',
  triggers: Object.fromEntries(
    triggerKinds.map((kind) => [kind, `amplify-login-${kind}-abcd1234`]),
  ) as Snapshot['names']['triggers'],
};

function healthy(mode: 'local' | 'aws' = 'local'): Snapshot {
  const triggers = Object.fromEntries(
    triggerKinds.map((kind) => [kind, expectedTriggerArn(POOL_ARN, names.triggers[kind])]),
  );
  return {
    mode,
    names,
    pool: {
      id: POOL_ID,
      name: names.userPool,
      arn: POOL_ARN,
      triggers,
      allowAdminCreateUserOnly: true,
      temporaryPasswordValidityDays: 7,
      deletionProtection: mode === 'aws',
      estimatedMembers: 3,
      email: undefined,
    },
    client: {
      id: 'client1',
      flows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      preventUserExistenceErrors: true,
      tokenRevocation: true,
    },
    groups: {
      full: {
        name: 'Full-access',
        roleArn: `arn:aws:iam::123456789012:role/${POOL_ID}_Full-access`,
        precedence: 1,
      },
      manage: {
        name: 'Manage-only',
        roleArn: `arn:aws:iam::123456789012:role/${POOL_ID}_Manage-only`,
        precedence: 2,
      },
    },
    identityPool: { id: IDENTITY_POOL_ID, problems: [] },
    roles:
      mode === 'aws'
        ? {
            full: role('Full-access', groupRoleTrust(IDENTITY_POOL_ID)),
            manage: role('Manage-only', groupRoleTrust(IDENTITY_POOL_ID)),
          }
        : null,
    functions:
      mode === 'aws'
        ? (Object.fromEntries(
            triggerKinds.map((kind) => [
              kind,
              {
                name: names.triggers[kind],
                arn: triggers[kind]!,
                runtime: 'nodejs24.x',
                invokableByPool: true,
              },
            ]),
          ) as Snapshot['functions'])
        : null,
    fullAccessHolder: true,
    consolePolicy: undefined,
    disabled: null,
    staleUserPoolId: undefined,
    unreadable: {},
  };
}

function role(group: string, trust: object): RoleState {
  return { name: `${POOL_ID}_${group}`, arn: `arn:aws:iam::123456789012:role/${POOL_ID}_${group}`, trust };
}

const judged = (snapshot: Snapshot, bootstrapAdminEmail: string | undefined = 'admin@example.com') =>
  judge(snapshot, { bootstrapAdminEmail });

describe('doctor judges', () => {
  it('a healthy local Studio: no findings; roles are names only, the triggers run in the embedded service', () => {
    const { findings, resources } = judged(healthy());
    expect(findings).toEqual([]);
    expect(resources.find((r) => r.key === 'role:full')).toMatchObject({
      state: 'unchecked',
      id: expect.stringContaining('_Full-access'),
    });
    expect(resources.filter((r) => r.kind === 'trigger').map((r) => r.state)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    expect(resources.find((r) => r.key === 'user-pool')).toMatchObject({
      state: 'ok',
      name: 'amplify_backend_manager_app1',
      id: POOL_ID,
    });
  });

  it('a healthy AWS Studio: no findings', () => {
    expect(judged(healthy('aws')).findings).toEqual([]);
  });

  it('a missing pool: one finding, repairable, and what hangs on it is not checked', () => {
    const snapshot = {
      ...healthy(),
      pool: null,
      client: null,
      groups: { full: null, manage: null },
      identityPool: undefined,
    };
    const { findings, resources } = judged(snapshot);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ key: 'user-pool', repairable: true });
    expect(resources.find((r) => r.key === 'group:full')?.state).toBe('unchecked');
  });

  it('a missing group and a group pointing at the wrong role', () => {
    const snapshot = healthy();
    snapshot.groups = {
      full: null,
      manage: { name: 'Manage-only', roleArn: 'arn:aws:iam::123456789012:role/someone-else', precedence: 2 },
    };
    const { findings } = judged(snapshot);
    expect(findings.map((f) => [f.key, f.repairable])).toEqual([
      ['group:full', true],
      ['group:manage', true],
    ]);
    expect(findings[0]!.problem).toMatch(/does not exist/);
    expect(findings[1]!.problem).toMatch(/points at the role arn:aws:iam::123456789012:role\/someone-else/);
  });

  it('equal precedences would make a member of both groups ambiguous', () => {
    const snapshot = healthy();
    snapshot.groups.manage = { ...snapshot.groups.manage!, precedence: 1 };
    expect(judged(snapshot).findings[0]?.problem).toMatch(/precedence is 1, not 2/);
  });

  it('a detached trigger, and one pointing at another function', () => {
    const snapshot = healthy();
    const { 'verify-auth-challenge': _dropped, ...rest } = snapshot.pool!.triggers;
    snapshot.pool = {
      ...snapshot.pool!,
      triggers: { ...rest, 'define-auth-challenge': 'arn:aws:lambda:eu-west-1:123456789012:function:other' },
    };
    const { findings, resources } = judged(snapshot);
    expect(findings.map((f) => f.key)).toEqual([
      'trigger:define-auth-challenge',
      'trigger:verify-auth-challenge',
    ]);
    expect(findings[1]!.problem).toMatch(/Detached from the user pool/);
    expect(resources.find((r) => r.key === 'trigger:verify-auth-challenge')?.state).toBe('drifted');
  });

  it('app-client flows missing, and a missing app client', () => {
    const snapshot = healthy();
    snapshot.client = { ...snapshot.client!, flows: ['ALLOW_REFRESH_TOKEN_AUTH'] };
    expect(judged(snapshot).findings[0]?.problem).toBe(
      'Sign-in flows missing: ALLOW_CUSTOM_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH.',
    );
    snapshot.client = null;
    expect(judged(snapshot).findings.map((f) => f.key)).toContain('app-client');
  });

  it('the identity pool: missing, or what is wrong with it as its reader says', () => {
    const snapshot = healthy();
    snapshot.identityPool = {
      id: IDENTITY_POOL_ID,
      problems: ['Ambiguous tokens get a role instead of being denied.'],
    };
    expect(judged(snapshot).findings).toEqual([
      expect.objectContaining({
        key: 'identity-pool',
        problem: 'Ambiguous tokens get a role instead of being denied.',
        repairable: true,
      }),
    ]);
    snapshot.identityPool = null;
    expect(judged(snapshot).findings[0]?.problem).toMatch(/identity pool does not exist/);
  });

  it('no active Full-access member: repairable with BOOTSTRAP_ADMIN_EMAIL, else a remedy', () => {
    const snapshot = { ...healthy(), fullAccessHolder: false };
    expect(judged(snapshot).findings[0]).toMatchObject({ key: 'team', repairable: true, remedy: null });
    expect(judge(snapshot, { bootstrapAdminEmail: undefined }).findings[0]).toMatchObject({
      key: 'team',
      repairable: false,
      remedy: expect.stringContaining('BOOTSTRAP_ADMIN_EMAIL'),
    });
  });

  it('AWS: a deprecated runtime and a missing invoke permission are repairable; a missing function is not', () => {
    const snapshot = healthy('aws');
    const functions = snapshot.functions!;
    functions['custom-message'] = { ...functions['custom-message']!, runtime: 'nodejs20.x' };
    functions['create-auth-challenge'] = { ...functions['create-auth-challenge']!, invokableByPool: false };
    functions['verify-auth-challenge'] = null;
    const { findings } = judged(snapshot);
    expect(findings.map((f) => [f.key, f.repairable])).toEqual([
      ['trigger:create-auth-challenge', true],
      ['trigger:custom-message', true],
      ['trigger:verify-auth-challenge', false],
    ]);
    expect(findings[1]!.problem).toMatch(/nodejs20\.x, which Lambda no longer supports/);
    expect(findings[2]!.remedy).toMatch(/cdk deploy/);
  });

  it('AWS: a missing role', () => {
    const snapshot = healthy('aws');
    snapshot.roles = { ...snapshot.roles!, manage: null };
    expect(judged(snapshot).findings).toEqual([
      expect.objectContaining({
        key: 'role:manage',
        repairable: true,
        problem: expect.stringMatching(/does not exist/),
      }),
    ]);
  });
});

describe("a group role's trust", () => {
  const trust = (statement: object) => ({
    name: 'r',
    arn: 'a',
    trust: { Version: '2012-10-17', Statement: [statement] },
  });
  const good = groupRoleTrust(IDENTITY_POOL_ID).Statement[0]!;

  it('is fine as the stack writes it', () => {
    expect(trustProblems(role('Full-access', groupRoleTrust(IDENTITY_POOL_ID)), IDENTITY_POOL_ID)).toEqual(
      [],
    );
  });

  it('names another identity pool', () => {
    expect(trustProblems(role('Full-access', groupRoleTrust('eu-west-1:other')), IDENTITY_POOL_ID)).toEqual([
      `It trusts the identity pool eu-west-1:other, not ${IDENTITY_POOL_ID}.`,
    ]);
  });

  it('lets unauthenticated identities in, or any identity pool', () => {
    expect(
      trustProblems(
        trust({
          ...good,
          Condition: {
            StringEquals: good.Condition.StringEquals,
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' },
          },
        }),
        IDENTITY_POOL_ID,
      ),
    ).toEqual(['It can be assumed by unauthenticated identities.']);
    expect(trustProblems(trust({ ...good, Condition: {} }), IDENTITY_POOL_ID)).toEqual([
      'It trusts every identity pool, not only Studio’s.',
      'It can be assumed by unauthenticated identities.',
    ]);
  });

  it('trusts the wrong principal', () => {
    expect(
      trustProblems(
        trust({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        IDENTITY_POOL_ID,
      ),
    ).toEqual([
      'It also trusts principals other than the identity pool.',
      'It does not trust the identity pool: members cannot get its credentials.',
    ]);
  });
});

describe("doctor judges the pool's own settings", () => {
  it('sign-up open to anyone, and temporary passwords of another lifetime', () => {
    const snapshot = healthy();
    snapshot.pool = { ...snapshot.pool!, allowAdminCreateUserOnly: false, temporaryPasswordValidityDays: 30 };
    expect(judged(snapshot).findings).toEqual([
      expect.objectContaining({
        key: 'user-pool',
        repairable: true,
        problem: expect.stringMatching(/Anyone may sign up/),
      }),
      expect.objectContaining({
        key: 'user-pool',
        repairable: true,
        problem: 'Temporary passwords are valid 30 days, not 7.',
      }),
    ]);
  });

  it('a disabled Studio is not offered an empty pool', () => {
    const snapshot = {
      ...healthy(),
      pool: null,
      client: null,
      groups: { full: null, manage: null },
      identityPool: undefined,
      disabled: { disabledAt: '2026-12-01T10:00:00.000Z', exportFile: '/data/team.json' },
    };
    expect(judged(snapshot).findings).toEqual([
      expect.objectContaining({
        key: 'user-pool',
        repairable: false,
        remedy:
          'npm run studio -- enable --reinvite /data/team.json enables it again, inviting everyone at their level.',
      }),
    ]);
  });
});
