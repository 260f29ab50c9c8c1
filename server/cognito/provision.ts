import 'server-only';
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import {
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type ExplicitAuthFlowsType,
  GetGroupCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AccessLevel, accessLevelInfo, accessLevels } from '@/lib/access-levels';
import type { Env } from '@/server/env';
import { cognitoCall, IdentityError } from './errors';
import { ensureIdentityPool, identityPoolName } from './identity-pool';
import {
  addToAccessGroup,
  createMemberWithoutInvitation,
  randomPermanentPassword,
  setPermanentPassword,
} from './member-admin';
import {
  APP_CLIENT_AUTH_FLOWS,
  APP_CLIENT_NAME,
  findAppClientId,
  findUserPoolId,
  groupDescription,
  groupPrecedence,
  groupRoleArn,
  type PoolInfo,
  poolLambdaConfig,
  type ResourceEnv,
  TEMPORARY_PASSWORD_VALIDITY_DAYS,
  tokenValidityMinutes,
  userPoolArn,
  userPoolName,
} from './resources';

export type ProvisionEnv = ResourceEnv &
  Pick<Env, 'bootstrapAdminEmail' | 'sessionTtlMs'> &
  Partial<Pick<Env, 'identityPoolId'>>;

export interface ProvisionResult extends PoolInfo {
  /** The identity pool `amplify_backend_manager_<APP_ID>`; undefined when this run did not look for it. */
  identityPoolId: string | undefined;
  /** The pool was created by this run. */
  created: boolean;
  /** BOOTSTRAP_ADMIN_EMAIL was made the pool's Full-access member by this run (created, no email sent). */
  bootstrapCreated: boolean;
  bootstrapAdminEmail: string | undefined;
  /** What this run created or repaired in an existing pool, e.g. "group Manage-only". */
  repaired: string[];
}

const EXPLICIT_AUTH_FLOWS: ExplicitAuthFlowsType[] = [...APP_CLIENT_AUTH_FLOWS];

// The fields UpdateUserPool may change. UpdateUserPool resets what it is not given, so drift repair
// always sends all of them.
function poolSettings(env: ProvisionEnv) {
  return {
    Policies: {
      PasswordPolicy: {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: TEMPORARY_PASSWORD_VALIDITY_DAYS,
      },
    },
    LambdaConfig: poolLambdaConfig(env),
    AutoVerifiedAttributes: ['email' as const],
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    MfaConfiguration: 'OFF' as const,
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email' as const, Priority: 1 }] },
    UserPoolTags: { 'studio-access:app-id': env.appId },
  };
}

function clientSettings(env: ProvisionEnv) {
  const validity = tokenValidityMinutes(env.sessionTtlMs);
  return {
    ClientName: APP_CLIENT_NAME,
    ExplicitAuthFlows: EXPLICIT_AUTH_FLOWS,
    PreventUserExistenceErrors: 'ENABLED' as const,
    AccessTokenValidity: validity.accessToken,
    IdTokenValidity: validity.idToken,
    RefreshTokenValidity: validity.refreshToken,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' } as const,
    EnableTokenRevocation: true,
  };
}

/**
 * Makes the pool match Studio's shape and returns its ids. Idempotent: a second run reuses the pool,
 * client and groups; pieces that drifted (a deleted group, a changed LambdaConfig) are re-created or
 * updated, members are never touched except to give an empty pool its bootstrap admin. Given a
 * Cognito Identity client, it does the same for the identity pool that maps the groups to their roles.
 */
export async function provision(
  client: CognitoIdentityProviderClient,
  env: ProvisionEnv,
  identityClient?: CognitoIdentityClient,
): Promise<ProvisionResult> {
  const repaired: string[] = [];
  const existingPoolId = await findUserPoolId(client, env);
  let poolId: string;
  let poolArn: string;
  let created = false;
  if (existingPoolId) {
    poolId = existingPoolId;
    const described = await cognitoCall(() =>
      client.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
    );
    poolArn = described.UserPool?.Arn ?? userPoolArn(env, poolId);
    if (described.UserPool && poolDrifted(described.UserPool, env)) {
      await cognitoCall(() =>
        client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, ...poolSettings(env) })),
      );
      repaired.push('pool settings');
    }
  } else if (env.userPoolId) {
    throw new IdentityError('not_found', `User pool ${env.userPoolId} (USER_POOL_ID) does not exist`);
  } else {
    const own = await createUserPool(client, env);
    // Two processes starting on one fresh service each create a pool. Everyone, findUserPoolId included,
    // takes the oldest of the name, so the one that lost deletes its own (still empty) and joins it.
    const first = await findUserPoolId(client, env);
    if (first && first !== own.id) {
      await cognitoCall(() => client.send(new DeleteUserPoolCommand({ UserPoolId: own.id })));
      poolId = first;
      const described = await cognitoCall(() =>
        client.send(new DescribeUserPoolCommand({ UserPoolId: first })),
      );
      poolArn = described.UserPool?.Arn ?? userPoolArn(env, first);
    } else {
      poolId = own.id;
      poolArn = own.arn;
      created = true;
    }
  }

  const clientId = await ensureAppClient(client, env, poolId, repaired);
  for (const level of accessLevels) await ensureGroup(client, env, poolId, level, repaired);
  const identityPoolId = identityClient
    ? await ensureStudioIdentityPool(identityClient, env, { poolId, clientId }, repaired)
    : undefined;
  const bootstrapCreated = await ensureBootstrapAdmin(client, env, poolId);

  return {
    poolId,
    clientId,
    poolArn,
    identityPoolId,
    created,
    bootstrapCreated,
    bootstrapAdminEmail: env.bootstrapAdminEmail,
    repaired: created ? [] : repaired,
  };
}

async function createUserPool(
  client: CognitoIdentityProviderClient,
  env: ProvisionEnv,
): Promise<{ id: string; arn: string }> {
  const created = await cognitoCall(() =>
    client.send(
      new CreateUserPoolCommand({
        PoolName: userPoolName(env.appId),
        ...poolSettings(env),
        UsernameAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true, Mutable: true }],
      }),
    ),
  );
  const id = created.UserPool?.Id;
  if (!id) throw new IdentityError('unknown', 'CreateUserPool returned no pool id');
  return { id, arn: created.UserPool?.Arn ?? userPoolArn(env, id) };
}

function poolDrifted(pool: UserPoolType, env: ProvisionEnv): boolean {
  const wanted = poolSettings(env);
  const lambda = pool.LambdaConfig ?? {};
  return (
    Object.entries(wanted.LambdaConfig).some(([key, arn]) => lambda[key as keyof typeof lambda] !== arn) ||
    pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true ||
    pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays !== TEMPORARY_PASSWORD_VALIDITY_DAYS
  );
}

export async function ensureAppClient(
  client: CognitoIdentityProviderClient,
  env: ProvisionEnv,
  poolId: string,
  repaired: string[],
): Promise<string> {
  const wanted = clientSettings(env);
  const existingId = await findAppClientId(client, poolId);
  if (!existingId) {
    const created = await cognitoCall(() =>
      client.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, GenerateSecret: false, ...wanted })),
    );
    const id = created.UserPoolClient?.ClientId;
    if (!id) throw new IdentityError('unknown', 'CreateUserPoolClient returned no client id');
    // As with the pool: a second process that created one at the same time keeps the first listed.
    const first = await findAppClientId(client, poolId);
    if (first && first !== id) {
      await cognitoCall(() =>
        client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: id })),
      );
      return first;
    }
    repaired.push(`app client ${APP_CLIENT_NAME}`);
    return id;
  }
  const { UserPoolClient: current } = await cognitoCall(() =>
    client.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: existingId })),
  );
  const flows = new Set(current?.ExplicitAuthFlows ?? []);
  const drifted =
    !current ||
    flows.size !== EXPLICIT_AUTH_FLOWS.length ||
    EXPLICIT_AUTH_FLOWS.some((flow) => !flows.has(flow)) ||
    current.PreventUserExistenceErrors !== wanted.PreventUserExistenceErrors ||
    current.AccessTokenValidity !== wanted.AccessTokenValidity ||
    current.IdTokenValidity !== wanted.IdTokenValidity ||
    current.RefreshTokenValidity !== wanted.RefreshTokenValidity;
  if (drifted) {
    await cognitoCall(() =>
      client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: existingId, ...wanted })),
    );
    repaired.push(`app client ${APP_CLIENT_NAME} settings`);
  }
  return existingId;
}

export async function ensureGroup(
  client: CognitoIdentityProviderClient,
  env: ProvisionEnv,
  poolId: string,
  level: AccessLevel,
  repaired: string[],
): Promise<void> {
  const wanted = {
    UserPoolId: poolId,
    GroupName: accessLevelInfo[level].group,
    Description: groupDescription(level),
    RoleArn: groupRoleArn(env, poolId, level),
    Precedence: groupPrecedence(level),
  };
  let current: { Description?: string; RoleArn?: string; Precedence?: number } | undefined;
  try {
    current = (await cognitoCall(() => client.send(new GetGroupCommand(wanted)))).Group;
  } catch (error) {
    if (!(error instanceof IdentityError && error.code === 'not_found')) throw error;
  }
  if (!current) {
    try {
      await cognitoCall(() => client.send(new CreateGroupCommand(wanted)));
      repaired.push(`group ${wanted.GroupName}`);
    } catch (error) {
      // Another process starting on the same pool created it first.
      if (!(error instanceof IdentityError && error.code === 'group_exists')) throw error;
    }
    return;
  }
  if (
    current.Description !== wanted.Description ||
    current.RoleArn !== wanted.RoleArn ||
    current.Precedence !== wanted.Precedence
  ) {
    await cognitoCall(() => client.send(new UpdateGroupCommand(wanted)));
    repaired.push(`group ${wanted.GroupName} settings`);
  }
}

async function ensureStudioIdentityPool(
  client: CognitoIdentityClient,
  env: ProvisionEnv,
  pool: { poolId: string; clientId: string },
  repaired: string[],
): Promise<string> {
  const ensured = await ensureIdentityPool(client, env, pool);
  if (ensured.created) repaired.push(`identity pool ${identityPoolName(env.appId)}`);
  for (const problem of ensured.repaired) repaired.push(`identity pool: ${problem}`);
  return ensured.identityPoolId;
}

/**
 * An empty pool gets BOOTSTRAP_ADMIN_EMAIL as its Full-access member: created without an email
 * (MessageAction SUPPRESS) and with a random permanent password nobody knows, so the account is
 * active and signs in by one-time link only.
 */
async function ensureBootstrapAdmin(
  client: CognitoIdentityProviderClient,
  env: ProvisionEnv,
  poolId: string,
): Promise<boolean> {
  const email = env.bootstrapAdminEmail;
  if (!email) return false;
  const group = accessLevelInfo.full.group;
  const admins = await cognitoCall(() =>
    client.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: group, Limit: 1 })),
  );
  if ((admins.Users ?? []).length > 0) return false;

  const ctx = { client, poolId, now: Date.now };
  let username = email;
  try {
    username = (await createMemberWithoutInvitation(ctx, email)).username;
    await setPermanentPassword(ctx, username, randomPermanentPassword());
  } catch (error) {
    // Already a member (e.g. demoted or removed from the group): give them Full access back as they are.
    if (!(error instanceof IdentityError && error.code === 'member_exists')) throw error;
  }
  await addToAccessGroup(ctx, username, 'full');
  return true;
}
