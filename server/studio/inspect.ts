import 'server-only';
import { type AccessLevel, accessLevels } from '@/lib/access-levels';
import { type ManagedPolicyState, type RoleState, readManagedPolicy, readRole } from '@/server/aws/iam';
import { type FunctionState, readFunction } from '@/server/aws/lambda';
import { isIdentityError, toIdentityError } from '@/server/cognito/errors';
import type { MemberRecord } from '@/server/cognito/members';
import { hasOtherFullAccessMember } from '@/server/cognito/members';
import {
  type AppClientState,
  type GroupState,
  readAppClient,
  readGroup,
  readUserPool,
  type UserPoolState,
} from '@/server/cognito/pool-state';
import {
  derivedShortCode,
  findUserPoolId,
  type TriggerKind,
  triggerFunctionName,
  triggerKinds,
  userPoolName,
} from '@/server/cognito/resources';
import { countsAsFullAccessHolder } from '@/server/members/rules';
import type { IdentityPoolView, StudioContext } from './context';
import { consolePolicyName, groupRoleName } from './definitions';
import { type DisabledMarker, readDisabledMarker } from './disabled-marker';

// One reading of everything Studio manages, for ./checks to judge. Reads only.

export interface StudioNames {
  appId: string;
  shortCode: string;
  userPool: string;
  identityPool: string;
  triggers: Record<TriggerKind, string>;
}

export interface Snapshot {
  mode: 'local' | 'aws';
  names: StudioNames;
  pool: UserPoolState | null;
  client: AppClientState | null;
  groups: Record<AccessLevel, GroupState | null>;
  /** undefined: not read (no user pool to tie it to). */
  identityPool: IdentityPoolView | null | undefined;
  /** AWS mode with a pool: each group role; null in local mode (no IAM) or without a pool. */
  roles: Record<AccessLevel, RoleState | null> | null;
  /** AWS mode with a pool: the console's managed policy (null: none by the stack's name); else undefined. */
  consolePolicy: ManagedPolicyState | null | undefined;
  /** AWS mode: each trigger's function; null in local mode (triggers run in process). */
  functions: Record<TriggerKind, FunctionState | null> | null;
  /** A Full-access member who can sign in (enabled, Active); undefined: not read (no pool). */
  fullAccessHolder: boolean | undefined;
  /** Local mode: Studio was disabled (`npm run studio -- disable`) and not enabled since. */
  disabled: DisabledMarker | null;
  /** USER_POOL_ID names a pool that does not exist, and `pool` was found by name instead. */
  staleUserPoolId: string | undefined;
  /**
   * Resources that could not be read (e.g. the console's credentials may not read IAM, or there is no
   * IAM at all, as under aws:local), by key: why. They are reported as not checked.
   */
  unreadable: Record<string, string>;
}

const POOL_PREFIX = userPoolName('');

/**
 * The names Studio's resources have. In AWS mode the pool named by USER_POOL_ID tells the app id (its
 * name is amplify_backend_manager_<APP_ID>), and SHORT_CODE defaults to the stack's derivation.
 */
export function studioNames(ctx: Pick<StudioContext, 'env'>, poolName?: string): StudioNames {
  const { env } = ctx;
  const fromPool = poolName?.startsWith(POOL_PREFIX) ? poolName.slice(POOL_PREFIX.length) : undefined;
  const appId = env.identityBackend === 'aws' ? (fromPool ?? env.appId) : env.appId;
  // AWS mode derives SHORT_CODE from the app id, as the stack does, unless it was given.
  const derived = env.identityBackend === 'aws' && env.shortCode === derivedShortCode(env.appId);
  const shortCode = derived ? derivedShortCode(appId) : env.shortCode;
  return {
    appId,
    shortCode,
    userPool: userPoolName(appId),
    identityPool: userPoolName(appId),
    triggers: Object.fromEntries(
      triggerKinds.map((kind) => [kind, triggerFunctionName(kind, shortCode)]),
    ) as Record<TriggerKind, string>,
  };
}

export async function inspectStudio(ctx: StudioContext): Promise<Snapshot> {
  const mode = ctx.env.identityBackend;
  const { poolId, staleUserPoolId } = await findStudioPool(ctx);
  const pool = poolId ? await readUserPool(ctx.cognito, poolId) : null;
  const names = studioNames(ctx, pool?.name);
  const none = { full: null, manage: null };

  const unreadable: Record<string, string> = {};
  if (!pool) {
    return {
      mode,
      names,
      pool: null,
      client: null,
      groups: none,
      identityPool: undefined,
      roles: null,
      functions: ctx.aws ? await readFunctions(ctx, names, undefined, unreadable) : null,
      consolePolicy: undefined,
      fullAccessHolder: undefined,
      disabled: mode === 'local' ? readDisabledMarker(ctx.env.dataDir) : null,
      staleUserPoolId,
      unreadable,
    };
  }

  // Everything but the identity pool needs only the user pool: read at once. The identity pool's
  // providers are compared with the app client, so it is read once that is known.
  const [client, full, manage, functions, fullAccessHolder, roles, consolePolicy] = await Promise.all([
    readAppClient(ctx.cognito, pool.id),
    readGroup(ctx.cognito, pool.id, 'full'),
    readGroup(ctx.cognito, pool.id, 'manage'),
    ctx.aws ? readFunctions(ctx, names, pool.arn, unreadable) : Promise.resolve(null),
    hasOtherFullAccessMember(
      { client: ctx.cognito, poolId: pool.id, now: ctx.now },
      new Set(),
      (member: MemberRecord) => countsAsFullAccessHolder(member),
    ),
    ctx.aws ? readRoles(ctx, pool.id, unreadable) : Promise.resolve(null),
    ctx.aws
      ? readOrNote(
          () => readManagedPolicy(ctx.aws!.iam, consolePolicyArn(pool.arn, names.appId)),
          'console-policy',
          unreadable,
        )
      : Promise.resolve(undefined),
  ]);
  const identityPool = await ctx.identityPools.inspect({
    appId: names.appId,
    userPoolId: pool.id,
    clientId: client?.id ?? null,
  });
  return {
    mode,
    names,
    pool,
    client,
    groups: { full, manage },
    identityPool,
    roles,
    functions,
    consolePolicy,
    fullAccessHolder,
    disabled: null,
    staleUserPoolId,
    unreadable,
  };
}

/**
 * The pool USER_POOL_ID names, or the one named amplify_backend_manager_<APP_ID>. After Studio was
 * disabled and enabled the configured id is gone: the pool is then found by name (where the
 * credentials may list pools) and the stale id reported, so a repair never makes a second pool.
 */
async function findStudioPool(
  ctx: StudioContext,
): Promise<{ poolId: string | undefined; staleUserPoolId: string | undefined }> {
  const poolId = await findUserPoolId(ctx.cognito, ctx.env);
  if (poolId || !ctx.env.userPoolId) return { poolId, staleUserPoolId: undefined };
  try {
    const named = await findUserPoolId(ctx.cognito, { ...ctx.env, userPoolId: undefined });
    return { poolId: named, staleUserPoolId: named ? ctx.env.userPoolId : undefined };
  } catch (error) {
    // The console may not list pools (ListUserPools has no resource-level permission).
    if (isIdentityError(error, 'access_denied')) return { poolId: undefined, staleUserPoolId: undefined };
    throw error;
  }
}

/** arn:aws:iam::<the pool's account>:policy/studio-access-console-<appId>. */
export function consolePolicyArn(poolArn: string, appId: string): string {
  return `arn:aws:iam::${poolArn.split(':')[4] ?? ''}:policy/${consolePolicyName(appId)}`;
}

/** Reads one AWS-only resource; a failure is recorded as why it could not be read, not thrown. */
async function readOrNote<T>(
  read: () => Promise<T | null>,
  key: string,
  unreadable: Record<string, string>,
): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    // The service's own words where it gave some (a 5xx maps to the generic "not answering").
    const failure = toIdentityError(error);
    const own = failure.cause instanceof Error ? failure.cause.message : '';
    unreadable[key] = failure.code === 'unavailable' && own ? own : failure.message;
    return null;
  }
}

async function readRoles(
  ctx: StudioContext,
  poolId: string,
  unreadable: Record<string, string>,
): Promise<Record<AccessLevel, RoleState | null>> {
  const iam = ctx.aws!.iam;
  const [full, manage] = await Promise.all(
    accessLevels.map((level) =>
      readOrNote(() => readRole(iam, groupRoleName(poolId, level)), `role:${level}`, unreadable),
    ),
  );
  return { full: full ?? null, manage: manage ?? null };
}

async function readFunctions(
  ctx: StudioContext,
  names: StudioNames,
  poolArn: string | undefined,
  unreadable: Record<string, string>,
): Promise<Record<TriggerKind, FunctionState | null>> {
  const lambda = ctx.aws!.lambda;
  const states = await Promise.all(
    triggerKinds.map((kind) =>
      readOrNote(() => readFunction(lambda, names.triggers[kind], poolArn), `trigger:${kind}`, unreadable),
    ),
  );
  return Object.fromEntries(triggerKinds.map((kind, i) => [kind, states[i] ?? null])) as Record<
    TriggerKind,
    FunctionState | null
  >;
}
