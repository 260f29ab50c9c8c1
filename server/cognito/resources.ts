import 'server-only';
import {
  type CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
  type LambdaConfigType,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AccessLevel, accessLevelInfo } from '@/lib/access-levels';
import type { Env } from '@/server/env';
import { groupRoleName } from '@/server/studio/definitions';
import { cognitoCall, IdentityError } from './errors';

export { derivedShortCode } from './short-code';

// The names and shapes of Studio's resources, as Amplify Studio names them (DESIGN.md §1, row 8),
// and how to find them again.

export const APP_CLIENT_NAME = 'studio-access-console';

/** Days a temporary password (invitation) stays valid: the pool's password policy. */
export const TEMPORARY_PASSWORD_VALIDITY_DAYS = 7;

/** The sign-in flows the app client allows: email links, the bootstrap's password sign-in, refresh. */
export const APP_CLIENT_AUTH_FLOWS = [
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
] as const;

/** A group's precedence: lower wins cognito:preferred_role for someone in both groups. */
export function groupPrecedence(level: AccessLevel): number {
  return level === 'full' ? 1 : 2;
}

export const triggerKinds = [
  'create-auth-challenge',
  'custom-message',
  'define-auth-challenge',
  'verify-auth-challenge',
] as const;

export type TriggerKind = (typeof triggerKinds)[number];

/** The pool's LambdaConfig key for each sign-in trigger. */
export const LAMBDA_CONFIG_KEYS = {
  'create-auth-challenge': 'CreateAuthChallenge',
  'custom-message': 'CustomMessage',
  'define-auth-challenge': 'DefineAuthChallenge',
  'verify-auth-challenge': 'VerifyAuthChallengeResponse',
} as const satisfies Record<TriggerKind, keyof LambdaConfigType>;

export type ResourceEnv = Pick<Env, 'appId' | 'shortCode' | 'awsRegion' | 'awsAccountId' | 'userPoolId'>;

export interface PoolInfo {
  poolId: string;
  clientId: string;
  poolArn: string;
}

export function userPoolName(appId: string): string {
  return `amplify_backend_manager_${appId}`;
}

/** The IAM role a group carries: `<poolId>_Full-access` / `<poolId>_Manage-only`. */
export function groupRoleArn(env: Pick<Env, 'awsAccountId'>, poolId: string, level: AccessLevel): string {
  return `arn:aws:iam::${env.awsAccountId}:role/${groupRoleName(poolId, level)}`;
}

export function groupDescription(level: AccessLevel): string {
  const info = accessLevelInfo[level];
  return `Studio Access: ${info.label}. ${info.description}`;
}

export function triggerFunctionName(kind: TriggerKind, shortCode: string): string {
  return `amplify-login-${kind}-${shortCode}`;
}

/**
 * The function that reads SES's bounce and rejection events for Cognito's invitation emails (AWS mode,
 * with an SES identity). Not one of the reference's resources: Amplify Studio has no such thing.
 */
export function mailEventsFunctionName(shortCode: string): string {
  return `studio-access-mail-events-${shortCode}`;
}

/** The SES configuration set the user pool sends its invitations through (AWS mode, with an SES identity). */
export function mailConfigurationSetName(appId: string): string {
  return `studio-access-${appId}`;
}

export function triggerFunctionArn(
  env: Pick<Env, 'awsRegion' | 'awsAccountId' | 'shortCode'>,
  kind: TriggerKind,
) {
  return `arn:aws:lambda:${env.awsRegion}:${env.awsAccountId}:function:${triggerFunctionName(kind, env.shortCode)}`;
}

/** The pool's LambdaConfig: the four sign-in triggers. */
export function poolLambdaConfig(
  env: Pick<Env, 'awsRegion' | 'awsAccountId' | 'shortCode'>,
): Record<(typeof LAMBDA_CONFIG_KEYS)[TriggerKind], string> {
  return Object.fromEntries(
    triggerKinds.map((kind) => [LAMBDA_CONFIG_KEYS[kind], triggerFunctionArn(env, kind)]),
  ) as Record<(typeof LAMBDA_CONFIG_KEYS)[TriggerKind], string>;
}

const MINUTE_MS = 60_000;

/**
 * App client token lifetimes (minutes) that fit the session: access and ID tokens live as long as
 * the session within Cognito's 5 min - 1 day range; the refresh token at least as long (min 60 min).
 */
export function tokenValidityMinutes(sessionTtlMs: number) {
  const session = Math.ceil(sessionTtlMs / MINUTE_MS);
  const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
  return {
    accessToken: clamp(session, 5, 24 * 60),
    idToken: clamp(session, 5, 24 * 60),
    refreshToken: clamp(session, 60, 3650 * 24 * 60),
  };
}

/** The pool's id: USER_POOL_ID when set, else the oldest pool named `amplify_backend_manager_<appId>`. */
export async function findUserPoolId(
  client: CognitoIdentityProviderClient,
  env: ResourceEnv,
): Promise<string | undefined> {
  if (env.userPoolId) {
    const id = env.userPoolId;
    try {
      await cognitoCall(() => client.send(new DescribeUserPoolCommand({ UserPoolId: id })));
      return id;
    } catch (error) {
      if (error instanceof IdentityError && error.code === 'not_found') return undefined;
      throw error;
    }
  }
  const name = userPoolName(env.appId);
  const matches: Array<{ id: string; created: number }> = [];
  let nextToken: string | undefined;
  do {
    const page = await cognitoCall(() =>
      client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: nextToken })),
    );
    for (const pool of page.UserPools ?? []) {
      if (pool.Name === name && pool.Id)
        matches.push({ id: pool.Id, created: pool.CreationDate?.getTime() ?? 0 });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  // The oldest, and of pools created in the same instant the lowest id, so every caller picks the same one.
  matches.sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return matches[0]?.id;
}

/** The id of the console's app client (`studio-access-console`) in the pool, if it exists. */
export async function findAppClientId(
  client: CognitoIdentityProviderClient,
  poolId: string,
): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await cognitoCall(() =>
      client.send(
        new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60, NextToken: nextToken }),
      ),
    );
    const found = page.UserPoolClients?.find((c) => c.ClientName === APP_CLIENT_NAME);
    if (found?.ClientId) return found.ClientId;
    nextToken = page.NextToken;
  } while (nextToken);
  return undefined;
}

export function userPoolArn(env: Pick<Env, 'awsRegion' | 'awsAccountId'>, poolId: string): string {
  return `arn:aws:cognito-idp:${env.awsRegion}:${env.awsAccountId}:userpool/${poolId}`;
}

/** Finds the provisioned pool and its app client; `not_found` when Studio has not been provisioned. */
export async function discoverPool(
  client: CognitoIdentityProviderClient,
  env: ResourceEnv,
): Promise<PoolInfo> {
  const poolId = await findUserPoolId(client, env);
  if (!poolId) {
    throw new IdentityError(
      'not_found',
      env.userPoolId
        ? `User pool ${env.userPoolId} (USER_POOL_ID) does not exist`
        : `User pool ${userPoolName(env.appId)} does not exist`,
    );
  }
  const [described, clientId] = await Promise.all([
    cognitoCall(() => client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))),
    findAppClientId(client, poolId),
  ]);
  if (!clientId)
    throw new IdentityError('not_found', `App client ${APP_CLIENT_NAME} does not exist in ${poolId}`);
  return { poolId, clientId, poolArn: described.UserPool?.Arn ?? userPoolArn(env, poolId) };
}
