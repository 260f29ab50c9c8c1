import 'server-only';
import { type AccessLevel, accessLevels } from '@/lib/access-levels';
import type { RepairOutcome, StudioReport } from '@/lib/studio';
import { deleteRole } from '@/server/aws/iam';
import type { CognitoContext } from '@/server/cognito/client';
import { deleteUserPool, type PoolEmail, updateUserPool } from '@/server/cognito/pool-state';
import { userPoolName } from '@/server/cognito/resources';
import type { StudioContext } from './context';
import { groupRoleName } from './definitions';
import { clearDisabledMarker, writeDisabledMarker } from './disabled-marker';
import { inspectStudio, studioNames } from './inspect';
import {
  collectMembers,
  defaultExportPath,
  EXPORT_FORMAT,
  type ExportedMember,
  type MembersExport,
  writeMembersExport,
} from './members-export';
import { inspectAndJudge, repairStudio } from './repair';

// Disable and enable, as Amplify Studio has them, without losing the team: disable writes every member
// and their level to a file before it deletes the user pool, the identity pool and (in AWS) the group
// roles; enable creates them again, and with that file invites everyone again at their level.

export class LifecycleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LifecycleError';
  }
}

export interface DisablePlan {
  appId: string;
  userPoolId: string;
  userPoolName: string;
  /** Members who lose access (each in the export). */
  members: ExportedMember[];
  /** How the pool sends its own mail, kept in the export for the pool enable makes. */
  email: PoolEmail | undefined;
}

/** What disable would do: the pool, and the members who would lose access. Reads only. */
export async function planDisable(ctx: StudioContext): Promise<DisablePlan> {
  const snapshot = await inspectStudio(ctx);
  if (!snapshot.pool) {
    throw new LifecycleError(
      `Studio is not enabled: the user pool ${snapshot.names.userPool} does not exist. \`npm run studio -- enable\` creates it.`,
    );
  }
  const cognito: CognitoContext = { client: ctx.cognito, poolId: snapshot.pool.id, now: ctx.now };
  return {
    appId: snapshot.names.appId,
    userPoolId: snapshot.pool.id,
    userPoolName: snapshot.names.userPool,
    members: await collectMembers(cognito, ctx.invites),
    email: snapshot.pool.email,
  };
}

export interface DisableResult {
  exportFile: string;
  exported: number;
  deleted: string[];
}

/**
 * Writes the export first (nothing is deleted if that fails), then deletes the identity pool, the user
 * pool with every member in it, and in AWS mode the two group roles. The triggers' functions and the
 * table stay: they hold no member, and enable uses them again.
 */
export async function disableStudio(
  ctx: StudioContext,
  plan: DisablePlan,
  options: { exportFile?: string; actor: string },
): Promise<DisableResult> {
  const content: MembersExport = {
    format: EXPORT_FORMAT,
    appId: plan.appId,
    userPoolId: plan.userPoolId,
    exportedAt: new Date(ctx.now()).toISOString(),
    ...(plan.email ? { pool: { email: plan.email } } : {}),
    members: plan.members,
  };
  const exportFile = writeMembersExport(
    options.exportFile ?? defaultExportPath(ctx.env.dataDir, plan.appId, ctx.now()),
    content,
  );
  const deleted: string[] = [];
  await ctx.identityPools.remove({ appId: plan.appId });
  deleted.push(`identity pool ${plan.userPoolName}`);
  await deleteUserPool(ctx.cognito, plan.userPoolId);
  deleted.push(
    `user pool ${plan.userPoolName} (${plan.userPoolId}) with ${plan.members.length} member${plan.members.length === 1 ? '' : 's'}`,
  );
  if (ctx.aws) {
    for (const level of accessLevels) {
      const role = groupRoleName(plan.userPoolId, level);
      await deleteRole(ctx.aws.iam, role);
      deleted.push(`role ${role}`);
    }
  }
  if (ctx.env.identityBackend === 'local') {
    writeDisabledMarker(ctx.env.dataDir, { disabledAt: new Date(ctx.now()).toISOString(), exportFile });
  }
  await ctx.activity?.record({
    actorEmail: options.actor,
    action: 'studio-disable',
    targetEmail: null,
    detail: plan.userPoolName,
    outcome: 'success',
    message: `${plan.members.length} member${plan.members.length === 1 ? '' : 's'} lost access; exported to ${exportFile}.`,
  });
  return { exportFile, exported: plan.members.length, deleted };
}

export type Reinvite = (
  emails: string[],
  level: AccessLevel,
) => Promise<Array<{ email: string; outcome: string; message: string }>>;

export interface EnableResult {
  created: RepairOutcome[];
  report: StudioReport;
  /** One line per member of the export: invited again, or why not. */
  invitations: Array<{ email: string; accessLevel: AccessLevel | null; outcome: string; message: string }>;
}

/**
 * Creates Studio's resources again (the repairs of an empty slate: pool, app client, groups, identity
 * pool, roles, triggers attached). With an export, everyone in it is invited again at their level, each
 * with a new invitation; members exported without a level are invited as Manage only, the smaller one.
 */
export async function enableStudio(
  ctx: StudioContext,
  options: { reinvite?: { file: MembersExport; invite: Reinvite }; actor: string },
): Promise<EnableResult> {
  const reinvite = options.reinvite;
  if (ctx.env.identityBackend === 'aws') {
    // There is no pool to read the app id from: the export says it, or APP_ID (never a generated one).
    const appId = reinvite?.file.appId ?? (ctx.env.appIdGiven ? ctx.env.appId : undefined);
    if (!appId) {
      throw new LifecycleError(
        'APP_ID: required to enable Studio in AWS mode without an export: the app id the stack was deployed with',
      );
    }
    const { shortCode } = studioNames(ctx, userPoolName(appId));
    ctx = { ...ctx, env: { ...ctx.env, appId, shortCode } };
  }
  const before = await inspectStudio(ctx);
  if (before.pool) {
    throw new LifecycleError(
      `Studio is enabled already: the user pool ${before.names.userPool} (${before.pool.id}) exists. \`npm run studio -- doctor\` checks it.`,
    );
  }
  if (ctx.env.identityBackend === 'local') clearDisabledMarker(ctx.env.dataDir);
  const bootstrap = ctx.env.bootstrapAdminEmail?.toLowerCase();
  // The bootstrap admin comes back by invitation like everyone else when the export has them.
  const invitedBack = reinvite?.file.members.some((member) => member.email === bootstrap) ?? false;
  const setup: StudioContext = invitedBack
    ? { ...ctx, env: { ...ctx.env, bootstrapAdminEmail: undefined } }
    : ctx;
  const { outcomes, report: created } = await repairStudio(setup, { skipTeam: reinvite !== undefined });
  // The pool sends its own mail (invitations) as the old one did: through SES, on AWS.
  const email = reinvite?.file.pool?.email;
  const newPoolId = created.resources.find((resource) => resource.key === 'user-pool')?.id;
  if (email && newPoolId) {
    await updateUserPool(ctx.cognito, newPoolId, { email });
    outcomes.push({
      key: 'user-pool',
      resource: `User pool ${before.names.userPool}`,
      outcome: 'repaired',
      message: `Its mail goes out as the disabled pool's did${email.SourceArn ? ` (${email.SourceArn})` : ''}.`,
    });
  }

  const invitations: EnableResult['invitations'] = [];
  if (reinvite) {
    for (const level of accessLevels) {
      const emails = reinvite.file.members
        .filter((member) => (member.accessLevel ?? 'manage') === level)
        .map((member) => member.email);
      if (emails.length === 0) continue;
      for (const result of await reinvite.invite(emails, level)) {
        invitations.push({ ...result, accessLevel: level });
      }
    }
  }
  const { report } = await inspectAndJudge(ctx);
  const invited = invitations.filter((item) => item.outcome === 'invited').length;
  await ctx.activity?.record({
    actorEmail: options.actor,
    action: 'studio-enable',
    targetEmail: null,
    detail: before.names.userPool,
    outcome: outcomes.every((item) => item.outcome === 'repaired') ? 'success' : 'failure',
    message: reinvite
      ? `${invited} of ${reinvite.file.members.length} members invited again from the export of ${reinvite.file.exportedAt}.`
      : null,
  });
  return { created: outcomes, report, invitations };
}
