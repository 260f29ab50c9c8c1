import 'server-only';
import {
  type CognitoIdentityProviderClient,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  type LambdaConfigType,
  UpdateUserPoolCommand,
  type UpdateUserPoolCommandInput,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AccessLevel, groupOf } from '@/lib/access-levels';
import { cognitoCall, isIdentityError } from './errors';
import { findAppClientId, LAMBDA_CONFIG_KEYS, type TriggerKind } from './resources';

// What the pool, its app client and its groups look like now, for `npm run studio` and the settings
// page (server/studio compares them with what Studio wants), and the writes its repairs need that
// provisioning does not already make.

export interface UserPoolState {
  id: string;
  name: string;
  arn: string;
  /** The function ARN each trigger slot names, if any. */
  triggers: Partial<Record<TriggerKind, string>>;
  allowAdminCreateUserOnly: boolean;
  temporaryPasswordValidityDays: number | undefined;
  deletionProtection: boolean;
  estimatedMembers: number;
  /** How the pool sends its own mail (the stack sets SES): what enable gives a new pool again. */
  email: PoolEmail | undefined;
}

/** A pool's EmailConfiguration, as Cognito returns and takes it. */
export interface PoolEmail {
  EmailSendingAccount?: 'COGNITO_DEFAULT' | 'DEVELOPER';
  SourceArn?: string;
  From?: string;
  ReplyToEmailAddress?: string;
  ConfigurationSet?: string;
}

export interface AppClientState {
  id: string;
  flows: string[];
  preventUserExistenceErrors: boolean;
  tokenRevocation: boolean;
}

export interface GroupState {
  name: string;
  roleArn: string | null;
  precedence: number | null;
}

/** DescribeUserPool, or null when the pool does not exist. */
export async function readUserPool(
  client: CognitoIdentityProviderClient,
  poolId: string,
): Promise<UserPoolState | null> {
  const pool = await describePool(client, poolId);
  if (!pool) return null;
  const lambda = pool.LambdaConfig ?? {};
  const triggers: Partial<Record<TriggerKind, string>> = {};
  for (const [kind, key] of Object.entries(LAMBDA_CONFIG_KEYS) as Array<
    [TriggerKind, keyof LambdaConfigType]
  >) {
    const arn = lambda[key];
    if (typeof arn === 'string' && arn) triggers[kind] = arn;
  }
  return {
    id: poolId,
    name: pool.Name ?? '',
    arn: pool.Arn ?? '',
    triggers,
    allowAdminCreateUserOnly: pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly === true,
    temporaryPasswordValidityDays: pool.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays,
    deletionProtection: pool.DeletionProtection === 'ACTIVE',
    estimatedMembers: pool.EstimatedNumberOfUsers ?? 0,
    email: pool.EmailConfiguration
      ? {
          ...(pool.EmailConfiguration.EmailSendingAccount
            ? { EmailSendingAccount: pool.EmailConfiguration.EmailSendingAccount }
            : {}),
          ...(pool.EmailConfiguration.SourceArn ? { SourceArn: pool.EmailConfiguration.SourceArn } : {}),
          ...(pool.EmailConfiguration.From ? { From: pool.EmailConfiguration.From } : {}),
          ...(pool.EmailConfiguration.ReplyToEmailAddress
            ? { ReplyToEmailAddress: pool.EmailConfiguration.ReplyToEmailAddress }
            : {}),
          ...(pool.EmailConfiguration.ConfigurationSet
            ? { ConfigurationSet: pool.EmailConfiguration.ConfigurationSet }
            : {}),
        }
      : undefined,
  };
}

async function describePool(
  client: CognitoIdentityProviderClient,
  poolId: string,
): Promise<UserPoolType | null> {
  try {
    const { UserPool } = await cognitoCall(() =>
      client.send(new DescribeUserPoolCommand({ UserPoolId: poolId })),
    );
    return UserPool ?? null;
  } catch (error) {
    if (isIdentityError(error, 'not_found')) return null;
    throw error;
  }
}

/** The console's app client (`studio-access-console`), or null when the pool has none. */
export async function readAppClient(
  client: CognitoIdentityProviderClient,
  poolId: string,
): Promise<AppClientState | null> {
  const clientId = await findAppClientId(client, poolId);
  if (!clientId) return null;
  const { UserPoolClient: found } = await cognitoCall(() =>
    client.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId })),
  );
  return {
    id: clientId,
    flows: found?.ExplicitAuthFlows ?? [],
    preventUserExistenceErrors: found?.PreventUserExistenceErrors === 'ENABLED',
    tokenRevocation: found?.EnableTokenRevocation !== false,
  };
}

/** GetGroup for an access level's group, or null when it does not exist. */
export async function readGroup(
  client: CognitoIdentityProviderClient,
  poolId: string,
  level: AccessLevel,
): Promise<GroupState | null> {
  try {
    const { Group } = await cognitoCall(() =>
      client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: groupOf(level) })),
    );
    return { name: groupOf(level), roleArn: Group?.RoleArn ?? null, precedence: Group?.Precedence ?? null };
  } catch (error) {
    if (isIdentityError(error, 'not_found')) return null;
    throw error;
  }
}

export interface PoolChange {
  triggers?: Partial<Record<TriggerKind, string>>;
  email?: PoolEmail;
  allowAdminCreateUserOnly?: boolean;
  temporaryPasswordValidityDays?: number;
  deletionProtection?: boolean;
}

/**
 * UpdateUserPool with `change` applied. UpdateUserPool resets every setting it is not given, so this
 * reads the pool and sends back all it has (the email configuration the stack set, other triggers, MFA,
 * tags...) with only `change` different.
 */
export async function updateUserPool(
  client: CognitoIdentityProviderClient,
  poolId: string,
  change: PoolChange,
): Promise<void> {
  const pool = await describePool(client, poolId);
  if (!pool) throw new Error(`User pool ${poolId} does not exist`);
  const lambdaConfig: LambdaConfigType = { ...(pool.LambdaConfig ?? {}) };
  for (const [kind, arn] of Object.entries(change.triggers ?? {}) as Array<[TriggerKind, string]>) {
    (lambdaConfig as Record<string, unknown>)[LAMBDA_CONFIG_KEYS[kind]] = arn;
  }
  const passwordPolicy = pool.Policies?.PasswordPolicy;
  const input: UpdateUserPoolCommandInput = {
    UserPoolId: poolId,
    Policies: {
      ...pool.Policies,
      PasswordPolicy: {
        ...passwordPolicy,
        ...(change.temporaryPasswordValidityDays !== undefined
          ? { TemporaryPasswordValidityDays: change.temporaryPasswordValidityDays }
          : {}),
      },
    },
    DeletionProtection:
      change.deletionProtection === undefined
        ? pool.DeletionProtection
        : change.deletionProtection
          ? 'ACTIVE'
          : 'INACTIVE',
    LambdaConfig: lambdaConfig,
    AutoVerifiedAttributes: pool.AutoVerifiedAttributes,
    SmsVerificationMessage: pool.SmsVerificationMessage,
    EmailVerificationMessage: pool.EmailVerificationMessage,
    EmailVerificationSubject: pool.EmailVerificationSubject,
    VerificationMessageTemplate: pool.VerificationMessageTemplate,
    SmsAuthenticationMessage: pool.SmsAuthenticationMessage,
    UserAttributeUpdateSettings: pool.UserAttributeUpdateSettings,
    MfaConfiguration: pool.MfaConfiguration,
    DeviceConfiguration: pool.DeviceConfiguration,
    EmailConfiguration: change.email ?? pool.EmailConfiguration,
    SmsConfiguration: pool.SmsConfiguration,
    UserPoolTags: pool.UserPoolTags,
    AdminCreateUserConfig: {
      ...pool.AdminCreateUserConfig,
      ...(change.allowAdminCreateUserOnly !== undefined
        ? { AllowAdminCreateUserOnly: change.allowAdminCreateUserOnly }
        : {}),
    },
    UserPoolAddOns: pool.UserPoolAddOns,
    AccountRecoverySetting: pool.AccountRecoverySetting,
  };
  await cognitoCall(() => client.send(new UpdateUserPoolCommand(input)));
}

/**
 * Deletes the pool with everything in it (members, groups, app clients). Cognito refuses while
 * deletion protection is on (the stack turns it on), so it is turned off first.
 */
export async function deleteUserPool(client: CognitoIdentityProviderClient, poolId: string): Promise<void> {
  const pool = await readUserPool(client, poolId);
  if (!pool) return;
  if (pool.deletionProtection) await updateUserPool(client, poolId, { deletionProtection: false });
  await cognitoCall(() => client.send(new DeleteUserPoolCommand({ UserPoolId: poolId })));
}
