import 'server-only';
import { type AccessLevel, accessLevelInfo, accessLevels } from '@/lib/access-levels';
import type { RepairOutcome, StudioReport } from '@/lib/studio';
import { createRole, setManagedPolicy, setRoleTrust } from '@/server/aws/iam';
import { allowPoolToInvoke, setRuntime } from '@/server/aws/lambda';
import type { CognitoContext } from '@/server/cognito/client';
import { toIdentityError } from '@/server/cognito/errors';
import {
  addToAccessGroup,
  createMemberWithoutInvitation,
  enableMember,
  randomPermanentPassword,
  setPermanentPassword,
} from '@/server/cognito/member-admin';
import {
  findMemberRecordByEmail,
  getMemberRecord,
  listAccessGroupRecords,
  listUserRecords,
  MAX_PAGE_SIZE,
} from '@/server/cognito/members';
import { updateUserPool } from '@/server/cognito/pool-state';
import { ensureAppClient, ensureGroup, type ProvisionEnv, provision } from '@/server/cognito/provision';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS, type TriggerKind } from '@/server/cognito/resources';
import {
  expectedArns,
  expectedTriggerArn,
  judge,
  REPAIR_ORDER,
  renamedConsolePolicy,
  toReport,
} from './checks';
import type { StudioContext } from './context';
import {
  FULL_ACCESS_MANAGED_POLICY,
  groupRoleName,
  groupRoleTrust,
  isDeprecatedRuntime,
  manageOnlyStatements,
  TRIGGER_RUNTIME,
} from './definitions';
import { inspectStudio, type Snapshot } from './inspect';

// doctor --repair: fixes each finding in place, in an order where what a resource names exists first,
// reading the state again after each repair. Members and their access levels are never touched,
// except to give back a level that a deleted group took away.

export interface RepairResult {
  outcomes: RepairOutcome[];
  /** The state after the repairs. */
  report: StudioReport;
}

export interface RepairOptions {
  /** Leave the team check alone (enable --reinvite: the invitations bring the admins back). */
  skipTeam?: boolean;
  /** Who asked, for the activity log (a member's email, or the command line); nothing is logged without. */
  actor?: string;
}

export async function inspectAndJudge(
  ctx: StudioContext,
): Promise<{ snapshot: Snapshot; report: StudioReport }> {
  const snapshot = await inspectStudio(ctx);
  const report = toReport(
    snapshot,
    judge(snapshot, { bootstrapAdminEmail: ctx.env.bootstrapAdminEmail }),
    ctx.now(),
  );
  return { snapshot, report };
}

export async function repairStudio(ctx: StudioContext, options: RepairOptions = {}): Promise<RepairResult> {
  let { snapshot, report } = await inspectAndJudge(ctx);
  const outcomes: RepairOutcome[] = [];
  for (const key of REPAIR_ORDER) {
    if (options.skipTeam && key === 'team') continue;
    const findings = report.findings.filter((finding) => finding.key === key && finding.repairable);
    if (findings.length === 0) continue;
    const resource = findings[0]!.resource;
    let outcome: RepairOutcome;
    try {
      outcome = { key, resource, outcome: 'repaired', message: await repairOne(ctx, snapshot, key) };
    } catch (error) {
      outcome = { key, resource, outcome: 'failed', message: failureText(error) };
    }
    outcomes.push(outcome);
    if (options.actor) {
      await ctx.activity?.record({
        actorEmail: options.actor,
        action: 'studio-repair',
        targetEmail: null,
        detail: resource,
        outcome: outcome.outcome === 'repaired' ? 'success' : 'failure',
        message: outcome.message,
      });
    }
    ({ snapshot, report } = await inspectAndJudge(ctx));
  }
  return { outcomes, report };
}

function failureText(error: unknown): string {
  const failure = toIdentityError(error);
  if (failure.code === 'access_denied') {
    return `${failure.message.replace(/\.$/, '')}. Run \`npm run studio -- doctor --repair\` with AWS credentials that may change this resource.`;
  }
  return failure.message;
}

/** The pool's region and account, from its ARN (arn:aws:cognito-idp:<region>:<account>:userpool/<id>). */
function provisionEnv(ctx: StudioContext, snapshot: Snapshot, accountFrom?: string): ProvisionEnv {
  const [, , , region, account] = (accountFrom ?? snapshot.pool?.arn ?? '').split(':');
  return {
    ...ctx.env,
    appId: snapshot.names.appId,
    shortCode: snapshot.names.shortCode,
    awsRegion: region || ctx.env.awsRegion,
    awsAccountId: account || ctx.env.awsAccountId,
  };
}

async function repairOne(ctx: StudioContext, snapshot: Snapshot, key: string): Promise<string> {
  if (key === 'user-pool')
    return snapshot.pool ? repairPoolSettings(ctx, snapshot) : createPool(ctx, snapshot);
  const pool = snapshot.pool;
  if (!pool) throw new Error('The user pool does not exist.');
  const env = provisionEnv(ctx, snapshot);

  if (key === 'app-client') {
    const changed: string[] = [];
    await ensureAppClient(ctx.cognito, env, pool.id, changed);
    return changed.length > 0 ? `Set up ${changed.join(', ')}.` : 'Nothing to change.';
  }
  if (key === 'identity-pool') {
    if (!snapshot.client) throw new Error('The app client must exist first.');
    const { id, changed } = await ctx.identityPools.ensure({
      appId: snapshot.names.appId,
      userPoolId: pool.id,
      clientId: snapshot.client.id,
    });
    return changed.length > 0 ? `${changed.join('; ')} (${id}).` : `Nothing to change (${id}).`;
  }
  if (key === 'role:full' || key === 'role:manage')
    return repairRole(ctx, snapshot, key === 'role:full' ? 'full' : 'manage');
  if (key === 'group:full' || key === 'group:manage') {
    const level: AccessLevel = key === 'group:full' ? 'full' : 'manage';
    const existed = snapshot.groups[level] !== null;
    const changed: string[] = [];
    await ensureGroup(ctx.cognito, env, pool.id, level, changed);
    if (existed) return `Set its role to ${groupRoleName(pool.id, level)} and its precedence.`;
    return `Re-created it. ${await restoreLevels(ctx, pool.id, level)}`;
  }
  if (key.startsWith('trigger:'))
    return repairTrigger(ctx, snapshot, key.slice('trigger:'.length) as TriggerKind);
  if (key === 'console-policy') return renameInConsolePolicy(ctx, snapshot);
  if (key === 'team') return ensureFullAccessHolder(ctx, pool.id);
  throw new Error(`Nothing repairs ${key}.`);
}

async function createPool(ctx: StudioContext, snapshot: Snapshot): Promise<string> {
  // In AWS mode the functions' ARNs tell the account the pool's trigger and role ARNs name.
  const anyFunction = snapshot.functions ? Object.values(snapshot.functions).find(Boolean) : undefined;
  const env = { ...provisionEnv(ctx, snapshot, anyFunction?.arn), userPoolId: undefined };
  const created = await provision(ctx.cognito, env);
  if (ctx.env.identityBackend === 'aws') {
    // As the stack has it: deleting the pool deletes the team.
    await updateUserPool(ctx.cognito, created.poolId, { deletionProtection: true });
  }
  const admin = created.bootstrapCreated ? ` ${created.bootstrapAdminEmail} is its Full-access member.` : '';
  const moved =
    ctx.env.userPoolId && ctx.env.userPoolId !== created.poolId
      ? ` Set USER_POOL_ID=${created.poolId} in the console's environment.`
      : '';
  return `Created ${snapshot.names.userPool} (${created.poolId}) with its app client and groups.${admin}${moved}`;
}

async function repairPoolSettings(ctx: StudioContext, snapshot: Snapshot): Promise<string> {
  await updateUserPool(ctx.cognito, snapshot.pool!.id, {
    allowAdminCreateUserOnly: true,
    temporaryPasswordValidityDays: TEMPORARY_PASSWORD_VALIDITY_DAYS,
  });
  return `Only administrators create users; temporary passwords last ${TEMPORARY_PASSWORD_VALIDITY_DAYS} days.`;
}

async function repairRole(ctx: StudioContext, snapshot: Snapshot, level: AccessLevel): Promise<string> {
  const iam = ctx.aws?.iam;
  const pool = snapshot.pool!;
  const identityPoolId = snapshot.identityPool?.id;
  if (!iam) throw new Error('IAM roles exist in AWS mode only.');
  if (!identityPoolId) throw new Error('The identity pool must exist first: its id goes into the trust.');
  const name = groupRoleName(pool.id, level);
  const trust = groupRoleTrust(identityPoolId);
  if (snapshot.roles?.[level]) {
    await setRoleTrust(iam, name, trust);
    return `It now trusts authenticated identities of ${identityPoolId} only.`;
  }
  await createRole(iam, {
    name,
    description: `Studio Access: ${accessLevelInfo[level].label}. ${accessLevelInfo[level].description}`,
    trust,
    permissions:
      level === 'full'
        ? { managedPolicyArns: [`arn:aws:iam::aws:policy/${FULL_ACCESS_MANAGED_POLICY}`], inline: {} }
        : {
            managedPolicyArns: [],
            inline: {
              'studio-access-manage-only': { Version: '2012-10-17', Statement: manageOnlyStatements() },
            },
          },
  });
  return level === 'full'
    ? `Re-created it with ${FULL_ACCESS_MANAGED_POLICY}, trusted by ${identityPoolId}.`
    : `Re-created it with read access to Amplify apps, trusted by ${identityPoolId}.`;
}

async function repairTrigger(ctx: StudioContext, snapshot: Snapshot, kind: TriggerKind): Promise<string> {
  const pool = snapshot.pool!;
  const name = snapshot.names.triggers[kind];
  const fn = snapshot.functions?.[kind];
  const done: string[] = [];
  if (fn && ctx.aws) {
    if (isDeprecatedRuntime(fn.runtime)) {
      await setRuntime(ctx.aws.lambda, name, TRIGGER_RUNTIME);
      done.push(`moved to ${TRIGGER_RUNTIME}`);
    }
    if (!fn.invokableByPool) {
      await allowPoolToInvoke(ctx.aws.lambda, name, pool.arn);
      done.push('the user pool may invoke it');
    }
  }
  const wanted = fn?.arn || expectedTriggerArn(pool.arn, name);
  if (pool.triggers[kind] !== wanted) {
    await updateUserPool(ctx.cognito, pool.id, { triggers: { [kind]: wanted } });
    done.push('attached to the user pool');
  }
  return done.length > 0 ? `${capitalize(done.join('; '))}.` : 'Nothing to change.';
}

async function renameInConsolePolicy(ctx: StudioContext, snapshot: Snapshot): Promise<string> {
  const policy = snapshot.consolePolicy;
  if (!ctx.aws || !policy) throw new Error('The console’s policy exists in AWS mode only.');
  const { document, changes } = renamedConsolePolicy(policy.document, expectedArns(snapshot));
  await setManagedPolicy(ctx.aws.iam, policy.arn, document);
  return `A new default version names the user pool, identity pool and roles there are now (${changes.length} changed).`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * After a group was deleted and re-created: every member whose recorded level (the console records
 * it at each invitation and change) is this group's, and who is not in the other group, gets it
 * back. Reads the whole pool, a page at a time: a rare repair, not a page view.
 */
async function restoreLevels(ctx: StudioContext, poolId: string, level: AccessLevel): Promise<string> {
  const cognito: CognitoContext = { client: ctx.cognito, poolId, now: ctx.now };
  if (!ctx.invites) return 'Its members could not be restored: no invitation records here.';
  const other = accessLevels.find((l) => l !== level)!;
  const inOther = new Set<string>();
  let token: string | undefined;
  do {
    const page = await listAccessGroupRecords(cognito, other, { limit: MAX_PAGE_SIZE, token });
    for (const member of page.members) inOther.add(member.username);
    token = page.nextToken;
  } while (token);

  let restored = 0;
  let unknown = 0;
  token = undefined;
  do {
    const page = await listUserRecords(cognito, { limit: MAX_PAGE_SIZE, token });
    const records = await ctx.invites.getMany(page.members.map((member) => member.email));
    for (const member of page.members) {
      if (inOther.has(member.username)) continue;
      const recorded = records.get(member.email)?.accessLevel;
      if (recorded === level) {
        await addToAccessGroup(cognito, member.username, level);
        restored += 1;
      } else if (!recorded) {
        unknown += 1;
      }
    }
    token = page.nextToken;
  } while (token);
  const label = accessLevelInfo[level].label;
  const back = `${restored} member${restored === 1 ? '' : 's'} ${restored === 1 ? 'has' : 'have'} ${label} again.`;
  return unknown > 0
    ? `${back} ${unknown} member${unknown === 1 ? ' has' : 's have'} no recorded level and no access level now: set it on the Access control page (Fix).`
    : back;
}

/**
 * The bootstrap situation: nobody can sign in with Full access. BOOTSTRAP_ADMIN_EMAIL becomes an
 * active, enabled Full-access member (created without an invitation when absent, as on a first start),
 * and signs in with `npm run signin-link`.
 */
async function ensureFullAccessHolder(ctx: StudioContext, poolId: string): Promise<string> {
  const email = ctx.env.bootstrapAdminEmail;
  if (!email) throw new Error('BOOTSTRAP_ADMIN_EMAIL is not set.');
  const cognito: CognitoContext = { client: ctx.cognito, poolId, now: ctx.now };
  let member = await findMemberRecordByEmail(cognito, email);
  if (!member) member = await createMemberWithoutInvitation(cognito, email);
  if (!member.enabled) {
    await enableMember(cognito, member.username);
    member = (await getMemberRecord(cognito, member.username)) ?? member;
  }
  if (member.status !== 'active')
    await setPermanentPassword(cognito, member.username, randomPermanentPassword());
  await addToAccessGroup(cognito, member.username, 'full');
  await ctx.invites?.recordLevel(email, { username: member.username, accessLevel: 'full', at: ctx.now() });
  return `${email} is an active Full-access member: \`npm run signin-link -- ${email}\` prints a one-time sign-in link.`;
}
