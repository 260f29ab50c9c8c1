import { type AccessLevel, accessLevelInfo, accessLevels } from '@/lib/access-levels';
import { type Finding, type ResourceStatus, resourceLabel, type StudioReport } from '@/lib/studio';
import type { PolicyDocument, RoleState } from '@/server/aws/iam';
import { statementsOf } from '@/server/aws/iam';
import {
  APP_CLIENT_AUTH_FLOWS,
  APP_CLIENT_NAME,
  groupPrecedence,
  groupRoleArn,
  TEMPORARY_PASSWORD_VALIDITY_DAYS,
  triggerKinds,
} from '@/server/cognito/resources';
import {
  consolePolicyName,
  groupRoleName,
  IDENTITY_PRINCIPAL,
  isDeprecatedRuntime,
  TRIGGER_RUNTIME,
} from './definitions';
import { consolePolicyArn, type Snapshot } from './inspect';

// Judges one reading (./inspect) against what Studio wants: each resource's state, and a finding for
// each thing that is wrong, saying whether doctor can repair it in place. Pure.

/** The order repairs run in: what a later resource names must exist first. */
export const REPAIR_ORDER = [
  'user-pool',
  'app-client',
  'identity-pool',
  'role:full',
  'role:manage',
  'group:full',
  'group:manage',
  ...triggerKinds.map((kind) => `trigger:${kind}`),
  'console-policy',
  'team',
] as const;

export type CheckKey = (typeof REPAIR_ORDER)[number];

export interface Judgement {
  resources: ResourceStatus[];
  findings: Finding[];
}

/** `arn:aws:<service>:<region>:<account>:...` → region and account (the pool's ARN tells both). */
function arnParts(arn: string): { region: string; account: string } {
  const [, , , region = '', account = ''] = arn.split(':');
  return { region, account };
}

function expectedRoleArn(poolArn: string, poolId: string, level: AccessLevel): string {
  return groupRoleArn({ awsAccountId: arnParts(poolArn).account }, poolId, level);
}

export function expectedTriggerArn(poolArn: string, functionName: string): string {
  const { region, account } = arnParts(poolArn);
  return `arn:aws:lambda:${region}:${account}:function:${functionName}`;
}

export function judge(snapshot: Snapshot, options: { bootstrapAdminEmail: string | undefined }): Judgement {
  const resources: ResourceStatus[] = [];
  const findings: Finding[] = [];
  const add = (
    status: ResourceStatus,
    problems: string[],
    repairable: boolean,
    remedy: string | null = null,
  ) => {
    resources.push({ ...status, state: problems.length > 0 ? status.state : 'ok' });
    for (const problem of problems) {
      findings.push({
        key: status.key,
        resource: resourceLabel(status.kind, status.name),
        problem,
        repairable,
        remedy: repairable ? null : remedy,
      });
    }
  };
  const { names, pool } = snapshot;

  if (!pool) {
    const disabled = snapshot.disabled;
    add(
      { key: 'user-pool', kind: 'user-pool', name: names.userPool, id: null, state: 'missing', detail: null },
      [
        disabled
          ? `Studio is disabled${disabled.disabledAt ? ` (since ${disabled.disabledAt})` : ''}: the user pool was deleted on purpose.`
          : 'The user pool does not exist: every member went with it. Repair creates an empty one; `npm run studio -- enable --reinvite <export>` also invites everyone from an export.',
      ],
      !disabled,
      `npm run studio -- enable${disabled?.exportFile ? ` --reinvite ${disabled.exportFile}` : ' --reinvite <export>'} enables it again, inviting everyone at their level.`,
    );
    for (const [key, kind, name] of [
      ['app-client', 'app-client', APP_CLIENT_NAME],
      ['group:full', 'group', accessLevelInfo.full.group],
      ['group:manage', 'group', accessLevelInfo.manage.group],
      ['identity-pool', 'identity-pool', names.identityPool],
    ] as const) {
      resources.push({ key, kind, name, id: null, state: 'unchecked', detail: 'needs the user pool' });
    }
    judgeTriggers(snapshot, resources, findings);
    return { resources, findings };
  }

  // The pool's own settings.
  const poolProblems: string[] = [];
  if (snapshot.staleUserPoolId) {
    findings.push({
      key: 'user-pool',
      resource: resourceLabel('user-pool', names.userPool),
      problem: `USER_POOL_ID names ${snapshot.staleUserPoolId}, which does not exist; Studio's pool is ${pool.id}.`,
      repairable: false,
      remedy: `Set USER_POOL_ID=${pool.id} in the console's environment.`,
    });
  }
  if (!pool.allowAdminCreateUserOnly) {
    poolProblems.push(
      'Anyone may sign up: only administrators should create users (AllowAdminCreateUserOnly).',
    );
  }
  if (pool.temporaryPasswordValidityDays !== TEMPORARY_PASSWORD_VALIDITY_DAYS) {
    poolProblems.push(
      `Temporary passwords are valid ${pool.temporaryPasswordValidityDays ?? 'an unknown number of'} days, not ${TEMPORARY_PASSWORD_VALIDITY_DAYS}.`,
    );
  }
  add(
    {
      key: 'user-pool',
      kind: 'user-pool',
      name: names.userPool,
      id: pool.id,
      state: 'drifted',
      detail: `${pool.estimatedMembers} member${pool.estimatedMembers === 1 ? '' : 's'}`,
    },
    poolProblems,
    true,
  );

  // The console's app client.
  const client = snapshot.client;
  const clientProblems: string[] = [];
  if (client) {
    const missing = APP_CLIENT_AUTH_FLOWS.filter((flow) => !client.flows.includes(flow));
    if (missing.length > 0) clientProblems.push(`Sign-in flows missing: ${missing.join(', ')}.`);
    if (!client.preventUserExistenceErrors) {
      clientProblems.push('It tells whether an email is a member (PreventUserExistenceErrors is off).');
    }
    if (!client.tokenRevocation) clientProblems.push('Token revocation is off: sign-out cannot end tokens.');
  }
  add(
    {
      key: 'app-client',
      kind: 'app-client',
      name: APP_CLIENT_NAME,
      id: client?.id ?? null,
      state: client ? 'drifted' : 'missing',
      detail: client ? client.flows.join(', ') : null,
    },
    client ? clientProblems : ['The console’s app client does not exist: nobody can sign in.'],
    true,
  );

  // The groups and the roles they carry.
  for (const level of accessLevels) {
    const group = snapshot.groups[level];
    const name = accessLevelInfo[level].group;
    const wantedRole = expectedRoleArn(pool.arn, pool.id, level);
    const problems: string[] = [];
    if (!group) {
      problems.push(
        `The group does not exist: its members have lost ${accessLevelInfo[level].label}. Repair re-creates it and gives back each member's recorded level.`,
      );
    } else {
      if (group.roleArn !== wantedRole) {
        problems.push(
          group.roleArn
            ? `It points at the role ${group.roleArn}, not ${wantedRole}.`
            : `It names no role (should be ${wantedRole}).`,
        );
      }
      const precedence = groupPrecedence(level);
      if (group.precedence !== precedence) {
        problems.push(
          `Its precedence is ${group.precedence ?? 'unset'}, not ${precedence}: a member of both groups would get an ambiguous role.`,
        );
      }
    }
    add(
      {
        key: `group:${level}`,
        kind: 'group',
        name,
        // A group has no id but its name.
        id: null,
        state: group ? 'drifted' : 'missing',
        detail: group?.roleArn ? `role ${group.roleArn}` : null,
      },
      problems,
      true,
    );
  }

  for (const level of accessLevels) {
    const name = groupRoleName(pool.id, level);
    const arn = expectedRoleArn(pool.arn, pool.id, level);
    const unreadable = snapshot.unreadable[`role:${level}`];
    if (!snapshot.roles || unreadable) {
      resources.push({
        key: `role:${level}`,
        kind: 'role',
        name,
        id: arn,
        state: 'unchecked',
        detail: unreadable
          ? `Could not be read: ${unreadable}`
          : 'No IAM here: the identity pool maps the group to this role name.',
      });
      continue;
    }
    const role = snapshot.roles[level];
    add(
      {
        key: `role:${level}`,
        kind: 'role',
        name,
        id: role?.arn ?? null,
        state: role ? 'drifted' : 'missing',
        detail: null,
      },
      role
        ? trustProblems(role, snapshot.identityPool?.id)
        : [`The role does not exist: ${accessLevelInfo[level].label} members get no AWS credentials.`],
      true,
    );
  }

  // The identity pool.
  const identityPool = snapshot.identityPool;
  if (identityPool?.staleId) {
    findings.push({
      key: 'identity-pool',
      resource: resourceLabel('identity-pool', names.identityPool),
      problem: `IDENTITY_POOL_ID names ${identityPool.staleId}, which does not exist; Studio's identity pool is ${identityPool.id}.`,
      repairable: false,
      remedy: `Set IDENTITY_POOL_ID=${identityPool.id} in the console's environment.`,
    });
  }
  add(
    {
      key: 'identity-pool',
      kind: 'identity-pool',
      name: names.identityPool,
      id: identityPool?.id ?? null,
      state: identityPool ? 'drifted' : 'missing',
      detail: null,
    },
    identityPool
      ? identityPool.problems
      : ['The identity pool does not exist: no member can get AWS credentials for their access level.'],
    client !== null || !identityPool,
  );

  judgeTriggers(snapshot, resources, findings);
  judgeConsolePolicy(snapshot, resources, findings);

  // The team: someone who can sign in with Full access.
  const bootstrap = options.bootstrapAdminEmail;
  add(
    {
      key: 'team',
      kind: 'team',
      name: 'Full-access members',
      id: null,
      state: 'drifted',
      detail: snapshot.fullAccessHolder ? 'at least one can sign in' : null,
    },
    snapshot.fullAccessHolder
      ? []
      : [
          bootstrap
            ? `No active Full-access member: nobody can manage the team. Repair makes ${bootstrap} (BOOTSTRAP_ADMIN_EMAIL) a Full-access member.`
            : 'No active Full-access member: nobody can manage the team.',
        ],
    bootstrap !== undefined,
    'Set BOOTSTRAP_ADMIN_EMAIL and run `npm run studio -- doctor --repair` to make that person a Full-access member.',
  );

  return { resources, findings };
}

const FUNCTION_MISSING_REMEDY =
  'Deploy the stack again (`npx cdk deploy`). CloudFormation does not notice a function deleted outside it: if the deploy changes nothing, remove the trigger from the stack, deploy, add it back and deploy again.';

/**
 * Each sign-in trigger: attached to the pool at the right function (both modes); in AWS mode also its
 * function exists, runs on a supported runtime and lets the pool invoke it.
 */
function judgeTriggers(snapshot: Snapshot, resources: ResourceStatus[], findings: Finding[]): void {
  const { pool, functions } = snapshot;
  for (const kind of triggerKinds) {
    const name = snapshot.names.triggers[kind];
    const key = `trigger:${kind}`;
    const fn = functions?.[kind];
    const unreadable = snapshot.unreadable[key];
    const problem = (text: string, repairable = true) =>
      findings.push({
        key,
        resource: resourceLabel('trigger', name),
        problem: text,
        repairable,
        remedy: repairable ? null : FUNCTION_MISSING_REMEDY,
      });
    const before = findings.length;

    if (functions && !fn && !unreadable) {
      problem('The Lambda function does not exist: sign-in by email link breaks.', false);
    }
    if (fn && isDeprecatedRuntime(fn.runtime)) {
      problem(
        `It runs on ${fn.runtime ?? 'an unknown runtime'}, which Lambda no longer supports; repair moves it to ${TRIGGER_RUNTIME}.`,
      );
    }
    if (pool) {
      const wanted = fn?.arn || expectedTriggerArn(pool.arn, name);
      const attached = pool.triggers[kind];
      if (attached !== wanted) {
        problem(
          attached
            ? `The user pool calls ${attached} for this step instead: sign-in by email link breaks.`
            : 'Detached from the user pool: sign-in by email link breaks.',
        );
      }
      if (fn && !fn.invokableByPool) problem('The user pool is not allowed to invoke it.');
    }

    const wrong = findings.length > before;
    resources.push({
      key,
      kind: 'trigger',
      name,
      id: fn?.arn ?? pool?.triggers[kind] ?? null,
      state:
        functions && !fn && !unreadable
          ? 'missing'
          : wrong
            ? 'drifted'
            : unreadable || !(pool || fn)
              ? 'unchecked'
              : 'ok',
      detail: unreadable
        ? `Its function could not be read: ${unreadable}`
        : fn
          ? fn.runtime
          : functions
            ? null
            : pool
              ? 'runs in the embedded service'
              : 'needs the user pool',
    });
  }
}

/**
 * The console's own policy (AWS mode) names the pool, identity pool and roles by ARN: after Studio was
 * disabled and enabled they are new ones, and the console could manage none of them until it names them.
 */
function judgeConsolePolicy(snapshot: Snapshot, resources: ResourceStatus[], findings: Finding[]): void {
  const { pool } = snapshot;
  if (!pool || snapshot.consolePolicy === undefined) return;
  const key = 'console-policy';
  const name = consolePolicyName(snapshot.names.appId);
  const arn = consolePolicyArn(pool.arn, snapshot.names.appId);
  const unreadable = snapshot.unreadable[key];
  if (unreadable || !snapshot.consolePolicy) {
    resources.push({
      key,
      kind: 'policy',
      name,
      id: arn,
      state: 'unchecked',
      detail: unreadable
        ? `Could not be read: ${unreadable}`
        : 'Not found: the console runs with other credentials (the stack names its policy so).',
    });
    return;
  }
  const { changes } = renamedConsolePolicy(snapshot.consolePolicy.document, expectedArns(snapshot));
  resources.push({
    key,
    kind: 'policy',
    name,
    id: arn,
    state: changes.length > 0 ? 'drifted' : 'ok',
    detail: null,
  });
  for (const change of changes) {
    findings.push({
      key,
      resource: resourceLabel('policy', name),
      problem: change,
      repairable: true,
      remedy: null,
    });
  }
}

/** The ARNs the console's policy should name, from this reading. */
export function expectedArns(snapshot: Snapshot): ExpectedArns {
  const pool = snapshot.pool!;
  const [, , , region, account] = pool.arn.split(':');
  return {
    userPool: pool.arn,
    identityPool: snapshot.identityPool
      ? `arn:aws:cognito-identity:${region}:${account}:identitypool/${snapshot.identityPool.id}`
      : undefined,
    roles: {
      full: expectedRoleArn(pool.arn, pool.id, 'full'),
      manage: expectedRoleArn(pool.arn, pool.id, 'manage'),
    },
  };
}

export interface ExpectedArns {
  userPool: string;
  identityPool: string | undefined;
  roles: Record<AccessLevel, string>;
}

const USER_POOL_ARN = /^arn:aws[\w-]*:cognito-idp:[^:]*:[^:]*:userpool\/[^/]+$/;
const IDENTITY_POOL_ARN = /^arn:aws[\w-]*:cognito-identity:[^:]*:[^:]*:identitypool\/[^/]+$/;
const GROUP_ROLE_ARN = /^arn:aws[\w-]*:iam::[^:]*:role\/[^/]+_(Full-access|Manage-only)$/;

/**
 * The console's policy with every user pool, identity pool and group role ARN it names replaced by
 * the ones there are now, and a sentence for each one that changes. Everything else is kept.
 */
export function renamedConsolePolicy(
  document: PolicyDocument,
  expected: ExpectedArns,
): { document: PolicyDocument; changes: string[] } {
  const changes = new Set<string>();
  const rename = (resource: string): string => {
    let wanted: string | undefined;
    let what = '';
    if (USER_POOL_ARN.test(resource)) {
      wanted = expected.userPool;
      what = 'user pool';
    } else if (IDENTITY_POOL_ARN.test(resource)) {
      wanted = expected.identityPool;
      what = 'identity pool';
    } else {
      const group = GROUP_ROLE_ARN.exec(resource)?.[1];
      if (group) {
        wanted = expected.roles[group === 'Full-access' ? 'full' : 'manage'];
        what = 'role';
      }
    }
    if (!wanted || wanted === resource) return resource;
    changes.add(
      `It names the ${what} ${resource}, not ${wanted}: the console cannot reach the one there is.`,
    );
    return wanted;
  };
  const statements = statementsOf(document).map((statement) => ({
    ...statement,
    ...(statement.Resource === undefined
      ? {}
      : {
          Resource: Array.isArray(statement.Resource)
            ? statement.Resource.map(rename)
            : rename(statement.Resource),
        }),
  }));
  return { document: { ...document, Statement: statements }, changes: [...changes] };
}

/** What is wrong with a group role's trust: it must trust the identity pool's authenticated identities only. */
export function trustProblems(role: RoleState, identityPoolId: string | undefined): string[] {
  const statements = statementsOf(role.trust).filter((statement) => statement.Effect === 'Allow');
  const problems: string[] = [];
  const federated = statements.filter((statement) => {
    const principal = statement.Principal as { Federated?: string | string[] } | undefined;
    return [principal?.Federated ?? []].flat().includes(IDENTITY_PRINCIPAL);
  });
  const others = statements.length - federated.length;
  if (others > 0) problems.push('It also trusts principals other than the identity pool.');
  if (federated.length === 0) {
    problems.push('It does not trust the identity pool: members cannot get its credentials.');
    return problems;
  }
  for (const statement of federated) {
    const actions = [statement.Action ?? []].flat();
    if (!actions.includes('sts:AssumeRoleWithWebIdentity')) {
      problems.push('Its trust does not allow sts:AssumeRoleWithWebIdentity.');
    }
    const audience = statement.Condition?.StringEquals?.[`${IDENTITY_PRINCIPAL}:aud`];
    if (audience === undefined) {
      problems.push('It trusts every identity pool, not only Studio’s.');
    } else if (identityPoolId && ![audience].flat().every((aud) => aud === identityPoolId)) {
      problems.push(`It trusts the identity pool ${[audience].flat().join(', ')}, not ${identityPoolId}.`);
    }
    const amr = statement.Condition?.['ForAnyValue:StringLike']?.[`${IDENTITY_PRINCIPAL}:amr`];
    if (amr === undefined || ![amr].flat().every((value) => value === 'authenticated')) {
      problems.push('It can be assumed by unauthenticated identities.');
    }
  }
  return [...new Set(problems)];
}

/** The report the CLI prints and the settings page shows. */
export function toReport(snapshot: Snapshot, judgement: Judgement, now: number): StudioReport {
  const order = new Map<string, number>(REPAIR_ORDER.map((key, index) => [key, index]));
  const findings = [...judgement.findings].sort(
    (a, b) => (order.get(a.key) ?? 99) - (order.get(b.key) ?? 99),
  );
  const labels = new Map(
    judgement.resources.map((resource) => [resource.key, resourceLabel(resource.kind, resource.name)]),
  );
  return {
    mode: snapshot.mode,
    checkedAt: new Date(now).toISOString(),
    resources: judgement.resources,
    findings,
    // In repair order, as the findings: the reads that filled it ran at once, in no fixed order.
    unreadable: Object.entries(snapshot.unreadable)
      .sort(([a], [b]) => (order.get(a) ?? 99) - (order.get(b) ?? 99))
      .map(([key, reason]) => ({ key, resource: labels.get(key) ?? key, reason })),
  };
}
