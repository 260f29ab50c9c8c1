// A user pool's settings as CreateUserPool / UpdateUserPool take them and DescribeUserPool returns
// them: validated, with Cognito's defaults filled in.
import { fullSchema, readSchema, type SchemaAttribute } from './attributes';
import { invalidParameter } from './errors';
import { checkInvitationMessage } from './invitations';
import { DEFAULT_PASSWORD_POLICY } from './passwords';
import { type PoolConfig, type PoolRecord, seconds } from './store';
import {
  ARN_LENGTH,
  ARN_PATTERN,
  ARN_PATTERN_TEXT,
  type Input,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringList,
  validationError,
} from './validate';

export const POOL_NAME_RULES = {
  min: 1,
  max: 128,
  pattern: /^[\w\s+=,.@-]+$/,
  patternText: '[\\w\\s+=,.@-]+',
};

// Settings that CreateUserPool and UpdateUserPool accept and DescribeUserPool returns as given.
const PASS_THROUGH = [
  'SmsVerificationMessage',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'SmsAuthenticationMessage',
  'UserAttributeUpdateSettings',
  'DeviceConfiguration',
  'SmsConfiguration',
  'UserPoolTags',
  'UserPoolAddOns',
  'AccountRecoverySetting',
] as const;

// LambdaConfig entries that name a function by ARN (the others are structures).
const TRIGGER_KEYS = [
  'PreSignUp',
  'CustomMessage',
  'PostConfirmation',
  'PreAuthentication',
  'PostAuthentication',
  'DefineAuthChallenge',
  'CreateAuthChallenge',
  'VerifyAuthChallengeResponse',
  'PreTokenGeneration',
  'UserMigration',
  'KMSKeyID',
] as const;

/**
 * The settings UpdateUserPool can change, read from a CreateUserPool or UpdateUserPool request.
 * Absent settings take their defaults — for UpdateUserPool too, as in Cognito ("If you don't provide
 * a value for an attribute, Amazon Cognito sets it to its default value").
 */
export function readUpdatableSettings(input: Input): PoolConfig {
  const config: PoolConfig = {
    Policies: readPolicies(input),
    LambdaConfig: readLambdaConfig(input),
    DeletionProtection: optionalEnum(input, 'DeletionProtection', ['ACTIVE', 'INACTIVE']) ?? 'INACTIVE',
    MfaConfiguration: optionalEnum(input, 'MfaConfiguration', ['OFF', 'ON', 'OPTIONAL']) ?? 'OFF',
    AdminCreateUserConfig: readAdminCreateUserConfig(input),
    VerificationMessageTemplate: optionalObject(input, 'VerificationMessageTemplate') ?? {
      DefaultEmailOption: 'CONFIRM_WITH_CODE',
    },
    EmailConfiguration: optionalObject(input, 'EmailConfiguration') ?? {
      EmailSendingAccount: 'COGNITO_DEFAULT',
    },
    UserPoolTier: optionalEnum(input, 'UserPoolTier', ['LITE', 'ESSENTIALS', 'PLUS']) ?? 'ESSENTIALS',
  };
  const autoVerified = optionalStringList(input, 'AutoVerifiedAttributes', {
    values: ['phone_number', 'email'],
  });
  if (autoVerified) config.AutoVerifiedAttributes = autoVerified;
  for (const field of PASS_THROUGH) {
    const value = input[field];
    if (value !== undefined && value !== null) config[field] = value;
  }
  return config;
}

/** Settings fixed at creation: sign-in attributes, username case sensitivity, schema. */
export function readCreateOnlySettings(input: Input): PoolConfig {
  const usernameAttributes = optionalStringList(input, 'UsernameAttributes', {
    values: ['phone_number', 'email'],
  });
  const aliasAttributes = optionalStringList(input, 'AliasAttributes', {
    values: ['phone_number', 'email', 'preferred_username'],
  });
  if (usernameAttributes?.length && aliasAttributes?.length) {
    throw invalidParameter(
      'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.',
    );
  }
  const usernameConfiguration = optionalObject(input, 'UsernameConfiguration');
  const caseSensitive = usernameConfiguration
    ? optionalBoolean(usernameConfiguration, 'CaseSensitive', 'usernameConfiguration.caseSensitive')
    : undefined;
  const config: PoolConfig = {
    // Cognito's API default is case-sensitive usernames; stored explicitly so every reader agrees.
    UsernameConfiguration: { CaseSensitive: caseSensitive ?? true },
  };
  // Stored as the changes to the standard attributes; DescribeUserPool expands it to SchemaAttributes.
  const schema = readSchema(input.Schema);
  if (schema.length > 0) config.Schema = schema;
  if (usernameAttributes?.length) config.UsernameAttributes = usernameAttributes;
  if (aliasAttributes?.length) config.AliasAttributes = aliasAttributes;
  return config;
}

function readPolicies(input: Input): NonNullable<PoolConfig['Policies']> {
  const policies = optionalObject(input, 'Policies');
  if (!policies) return { PasswordPolicy: { ...DEFAULT_PASSWORD_POLICY } };
  const given = optionalObject(policies, 'PasswordPolicy', 'policies.passwordPolicy');
  const out: Input = { ...policies };
  if (!given) {
    out.PasswordPolicy = { ...DEFAULT_PASSWORD_POLICY };
    return out;
  }
  // With a PasswordPolicy, unset requirements are off (Cognito's booleans default to false).
  const path = (field: string) => `policies.passwordPolicy.${field.charAt(0).toLowerCase()}${field.slice(1)}`;
  out.PasswordPolicy = {
    ...given,
    MinimumLength:
      optionalInteger(given, 'MinimumLength', { min: 6, max: 99, path: path('MinimumLength') }) ??
      DEFAULT_PASSWORD_POLICY.MinimumLength,
    RequireUppercase: optionalBoolean(given, 'RequireUppercase', path('RequireUppercase')) ?? false,
    RequireLowercase: optionalBoolean(given, 'RequireLowercase', path('RequireLowercase')) ?? false,
    RequireNumbers: optionalBoolean(given, 'RequireNumbers', path('RequireNumbers')) ?? false,
    RequireSymbols: optionalBoolean(given, 'RequireSymbols', path('RequireSymbols')) ?? false,
    TemporaryPasswordValidityDays:
      optionalInteger(given, 'TemporaryPasswordValidityDays', {
        min: 0,
        max: 365,
        path: path('TemporaryPasswordValidityDays'),
      }) ?? DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays,
  };
  return out;
}

function readLambdaConfig(input: Input): NonNullable<PoolConfig['LambdaConfig']> {
  const given = optionalObject(input, 'LambdaConfig');
  if (!given) return {};
  for (const key of TRIGGER_KEYS) {
    optionalString(given, key, {
      ...ARN_LENGTH,
      pattern: ARN_PATTERN,
      patternText: ARN_PATTERN_TEXT,
      path: `lambdaConfig.${key.charAt(0).toLowerCase()}${key.slice(1)}`,
    });
  }
  return { ...given };
}

function readAdminCreateUserConfig(input: Input): NonNullable<PoolConfig['AdminCreateUserConfig']> {
  const given = optionalObject(input, 'AdminCreateUserConfig') ?? {};
  const path = 'adminCreateUserConfig';
  const out: NonNullable<PoolConfig['AdminCreateUserConfig']> = {
    AllowAdminCreateUserOnly:
      optionalBoolean(given, 'AllowAdminCreateUserOnly', `${path}.allowAdminCreateUserOnly`) ?? false,
    UnusedAccountValidityDays:
      optionalInteger(given, 'UnusedAccountValidityDays', {
        min: 0,
        max: 365,
        path: `${path}.unusedAccountValidityDays`,
      }) ?? 7,
  };
  const template = optionalObject(given, 'InviteMessageTemplate', `${path}.inviteMessageTemplate`);
  if (template) {
    const templatePath = `${path}.inviteMessageTemplate`;
    const emailMessage = optionalString(template, 'EmailMessage', {
      max: 20_000,
      path: `${templatePath}.emailMessage`,
    });
    const emailSubject = optionalString(template, 'EmailSubject', {
      min: 1,
      max: 140,
      path: `${templatePath}.emailSubject`,
    });
    const smsMessage = optionalString(template, 'SMSMessage', {
      max: 140,
      path: `${templatePath}.sMSMessage`,
    });
    if (emailMessage !== undefined) checkInvitationMessage(emailMessage, `${templatePath}.emailMessage`);
    if (smsMessage !== undefined && (!smsMessage.includes('{####}') || !smsMessage.includes('{username}'))) {
      throw validationError(
        `${templatePath}.sMSMessage`,
        smsMessage,
        'Member must contain {username} and {####}',
      );
    }
    out.InviteMessageTemplate = {
      ...(emailMessage !== undefined ? { EmailMessage: emailMessage } : {}),
      ...(emailSubject !== undefined ? { EmailSubject: emailSubject } : {}),
      ...(smsMessage !== undefined ? { SMSMessage: smsMessage } : {}),
    };
  }
  return out;
}

/** DescribeUserPool's UserPoolType. */
export function userPoolType(pool: PoolRecord, estimatedNumberOfUsers: number) {
  const { Schema, ...config } = pool.config;
  return {
    ...config,
    SchemaAttributes: fullSchema(Array.isArray(Schema) ? (Schema as SchemaAttribute[]) : undefined),
    Id: pool.id,
    Name: pool.name,
    Arn: pool.arn,
    LambdaConfig: pool.config.LambdaConfig ?? {},
    CreationDate: seconds(pool.createdAt),
    LastModifiedDate: seconds(pool.updatedAt),
    EstimatedNumberOfUsers: estimatedNumberOfUsers,
  };
}

/** ListUserPools' UserPoolDescriptionType. */
export function userPoolDescription(pool: PoolRecord) {
  return {
    Id: pool.id,
    Name: pool.name,
    LambdaConfig: pool.config.LambdaConfig ?? {},
    CreationDate: seconds(pool.createdAt),
    LastModifiedDate: seconds(pool.updatedAt),
  };
}
