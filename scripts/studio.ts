// `npm run studio -- <status|doctor [--repair]|disable|enable>`: Studio's resources, their health, repair
// in place, and disable / enable without losing the team. Local mode uses the embedded service (the one
// `npm start` runs, or its own for the length of the command); AWS mode uses the operator's AWS
// credentials from the SDK's default chain, with the console's variables.
import readline from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { accessLevelLabel } from '@/lib/access-levels';
import { type RepairOutcome, resourceKindLabels, resourceStateLabels, type StudioReport } from '@/lib/studio';
import { IdentityError } from '@/server/cognito/errors';
import { ConfigError, type Env } from '@/server/env';
import { inviteMembers } from '@/server/members';
import { muteSdkNodeVersionWarning, openStudioRuntime } from '@/server/runtime';
import { disableStudio, enableStudio, LifecycleError, planDisable } from '@/server/studio/lifecycle';
import { ExportFileError, readMembersExport } from '@/server/studio/members-export';
import { inspectAndJudge, repairStudio } from '@/server/studio/repair';
import { loadScriptEnv } from './script-env';

/** Exit codes: doctor's are 0 healthy, 1 drift found (or left), 2 could not check. */
const EXIT = { ok: 0, drift: 1, failed: 2 } as const;

const USAGE = `Usage: npm run studio -- <command>

  status                     every managed resource: name, id, state
  doctor [--repair]          find drift (exit 0 healthy, 1 drift, 2 could not check); --repair fixes it in place
  disable [--confirm APP_ID] [--export FILE]
                             export every member and their level, then delete the user pool, the identity pool
                             (and in AWS the group roles); asks for the app id unless --confirm gives it
  enable [--reinvite FILE] [--invited-by EMAIL]
                             create the resources again; with an export, invite everyone again at their level`;

/** The command line's actor in the activity log. */
const CLI_ACTOR = 'npm run studio';

interface Options {
  command: string;
  repair: boolean;
  confirm?: string;
  exportFile?: string;
  reinvite?: string;
  invitedBy?: string;
}

class UsageError extends Error {}

export function parseArgs(argv: string[]): Options {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') throw new UsageError('');
  if (!['status', 'doctor', 'disable', 'enable'].includes(command)) {
    throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
  const options: Options = { command, repair: false };
  const allowed: Record<string, string[]> = {
    status: [],
    doctor: ['--repair'],
    disable: ['--confirm', '--export'],
    enable: ['--reinvite', '--invited-by'],
  };
  for (let i = 0; i < rest.length; i += 1) {
    const flag = rest[i]!;
    if (!allowed[command]!.includes(flag))
      throw new UsageError(`${command} does not take ${JSON.stringify(flag)}`);
    if (flag === '--repair') {
      options.repair = true;
      continue;
    }
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    i += 1;
    if (flag === '--confirm') options.confirm = value;
    else if (flag === '--export') options.exportFile = value;
    else if (flag === '--reinvite') options.reinvite = value;
    else if (flag === '--invited-by') options.invitedBy = value;
  }
  return options;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

function formatStatus(report: StudioReport, env: Pick<Env, 'identityBackend'>): string {
  const lines = [
    `Studio resources (${env.identityBackend === 'aws' ? 'AWS' : 'local, embedded identity service'}):`,
    '',
  ];
  for (const resource of report.resources) {
    lines.push(
      `  ${pad(resourceStateLabels[resource.state], 12)}${pad(resourceKindLabels[resource.kind], 16)}${pad(resource.name, 46)}${resource.id ?? '-'}${resource.detail ? `  (${resource.detail})` : ''}`,
    );
  }
  return lines.join('\n');
}

export function formatFindings(report: Pick<StudioReport, 'findings' | 'unreadable'>): string {
  const { findings, unreadable } = report;
  const lines: string[] = [];
  if (findings.length === 0) {
    lines.push(
      unreadable.length === 0
        ? 'Healthy: every resource is as Studio defines it.'
        : 'No problem found in what could be checked.',
    );
  } else {
    lines.push(`${findings.length} problem${findings.length === 1 ? '' : 's'} found:`);
    for (const finding of findings) {
      lines.push(`  ✗ ${finding.resource}: ${finding.problem}`);
      if (!finding.repairable) lines.push(`      Not repairable here: ${finding.remedy}`);
    }
    const repairable = findings.filter((finding) => finding.repairable).length;
    lines.push(
      '',
      repairable > 0
        ? `${repairable} can be repaired in place, keeping every member and their access level: npm run studio -- doctor --repair`
        : 'None can be repaired in place.',
    );
  }
  if (unreadable.length > 0) {
    lines.push('', 'Could not check:');
    for (const item of unreadable) lines.push(`  ? ${item.resource}: ${item.reason}`);
  }
  return lines.join('\n');
}

/** 0 healthy, 1 drift found (whatever else), 2 nothing wrong found but not everything could be checked. */
export function doctorExit(report: Pick<StudioReport, 'findings' | 'unreadable'>): number {
  if (report.findings.length > 0) return EXIT.drift;
  return report.unreadable.length > 0 ? EXIT.failed : EXIT.ok;
}

function formatOutcomes(outcomes: readonly RepairOutcome[]): string {
  return outcomes
    .map(
      (item) =>
        `  ${item.outcome === 'repaired' ? '✓ repaired' : '✗ failed  '}  ${item.resource}: ${item.message}`,
    )
    .join('\n');
}

/**
 * A console running on this machine (`npm start`) keeps the pool it found; its health check looks
 * again, so asking it once after disable or enable makes it see the change at once, not on its next
 * call that fails. Best effort: nothing may be running.
 */
async function nudgeLocalConsole(env: Env): Promise<void> {
  if (env.identityBackend !== 'local') return;
  await fetch(`http://127.0.0.1:${env.port}/api/health`, { signal: AbortSignal.timeout(3_000) }).catch(
    () => {},
  );
}

async function askForAppId(appId: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(`Type the app id (${appId}) to disable Studio: `);
    return answer.trim() === appId;
  } finally {
    prompt.close();
  }
}

async function run(options: Options, env: Env): Promise<number> {
  const runtime = await openStudioRuntime(env);
  const ctx = runtime.context;
  try {
    if (options.command === 'status' || (options.command === 'doctor' && !options.repair)) {
      const { report } = await inspectAndJudge(ctx);
      if (options.command === 'status') {
        console.log(formatStatus(report, env));
        return EXIT.ok;
      }
      console.log(formatFindings(report));
      return doctorExit(report);
    }

    if (options.command === 'doctor') {
      const { outcomes, report } = await repairStudio(ctx, { actor: CLI_ACTOR });
      if (outcomes.length > 0) console.log(`Repairs:\n${formatOutcomes(outcomes)}\n`);
      console.log(formatFindings(report));
      return doctorExit(report);
    }

    if (options.command === 'disable') {
      const plan = await planDisable(ctx);
      const count = plan.members.length;
      console.log(
        `Disabling Studio deletes the user pool ${plan.userPoolName} (${plan.userPoolId}): ${count} member${count === 1 ? '' : 's'} will lose access.`,
      );
      console.log(
        'Every member and their access level is exported first; `enable --reinvite <file>` invites them again.',
      );
      const confirmed =
        options.confirm !== undefined ? options.confirm === plan.appId : await askForAppId(plan.appId);
      if (!confirmed) {
        console.error(
          options.confirm !== undefined
            ? `studio: --confirm ${options.confirm} does not match the app id ${plan.appId}; nothing was changed.`
            : `studio: not confirmed; nothing was changed. In a script, pass --confirm ${plan.appId}.`,
        );
        return EXIT.failed;
      }
      const result = await disableStudio(ctx, plan, { exportFile: options.exportFile, actor: CLI_ACTOR });
      console.log(
        `Exported ${result.exported} member${result.exported === 1 ? '' : 's'} to ${result.exportFile}`,
      );
      for (const line of result.deleted) console.log(`  deleted ${line}`);
      await nudgeLocalConsole(env);
      console.log(
        `Studio is disabled. To enable it again: npm run studio -- enable --reinvite ${result.exportFile}`,
      );
      return EXIT.ok;
    }

    // enable
    const file = options.reinvite ? readMembersExport(options.reinvite) : undefined;
    const invitedBy = options.invitedBy ?? env.bootstrapAdminEmail ?? 'The Studio operator';
    const actor = { username: CLI_ACTOR, email: invitedBy, accessLevel: 'full' as const };
    const result = await enableStudio(ctx, {
      actor: CLI_ACTOR,
      ...(file
        ? {
            reinvite: {
              file,
              invite: async (emails, level) =>
                (await inviteMembers(actor, emails, level)).map((item) => ({
                  email: item.email,
                  outcome: item.outcome,
                  message: item.message,
                })),
            },
          }
        : {}),
    });
    await nudgeLocalConsole(env);
    console.log(`Created:\n${formatOutcomes(result.created)}`);
    if (file) {
      console.log(`\nInvited again from ${options.reinvite} (exported ${file.exportedAt}):`);
      for (const item of result.invitations) {
        console.log(
          `  ${pad(item.outcome, 15)}${pad(item.email, 40)}${item.accessLevel ? accessLevelLabel(item.accessLevel) : ''}  ${item.message}`,
        );
      }
    }
    // After re-inviting, nobody has accepted yet: that one finding is expected, and passes on its own.
    const report = file
      ? { ...result.report, findings: result.report.findings.filter((finding) => finding.key !== 'team') }
      : result.report;
    console.log(`\n${formatFindings(report)}`);
    if (report.findings.length < result.report.findings.length) {
      console.log(
        'Nobody has accepted yet: once a Full-access member accepts their invitation, they can manage the team.',
      );
    }
    return doctorExit(report);
  } finally {
    await runtime.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) console.error(`studio: ${error.message}`);
      console.error(USAGE);
      return error.message ? EXIT.failed : EXIT.ok;
    }
    throw error;
  }
  muteSdkNodeVersionWarning();
  const env = loadScriptEnv((error) => {
    throw error;
  });
  return run(options, env);
}

function explain(error: unknown): string {
  if (error instanceof ConfigError || error instanceof LifecycleError || error instanceof ExportFileError) {
    return error.message;
  }
  if (error instanceof IdentityError) {
    if (error.code === 'unavailable') return 'could not check: the identity service is not answering.';
    if (error.code === 'access_denied') {
      return `could not check: ${error.message} (${error.source ?? 'AccessDenied'}). Use AWS credentials that may read Cognito, IAM and Lambda.`;
    }
    return `could not check: ${error.message}`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`studio: ${explain(error)}`);
      process.exit(EXIT.failed);
    },
  );
}
