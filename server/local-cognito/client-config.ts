// An app client's settings as CreateUserPoolClient / UpdateUserPoolClient take them and
// DescribeUserPoolClient returns them: validated, with Cognito's defaults filled in.
import { invalidParameter } from './errors';
import { type ClientConfig, type ClientRecord, seconds } from './store';
import {
  type Input,
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalObject,
  optionalStringList,
} from './validate';

export const CLIENT_NAME_RULES = {
  min: 1,
  max: 128,
  pattern: /^[\w\s+=,.@-]+$/,
  patternText: '[\\w\\s+=,.@-]+',
};

export const AUTH_FLOWS = [
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
] as const;
const LEGACY_FLOWS = ['ADMIN_NO_SRP_AUTH', 'CUSTOM_AUTH_FLOW_ONLY', 'USER_PASSWORD_AUTH'];
/** What a client allows when created without ExplicitAuthFlows. */
const DEFAULT_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];

const UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
type Unit = (typeof UNITS)[number];
const UNIT_MINUTES: Record<Unit, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 24 * 60 };

// Each token's default validity, default unit when only a number is given, and allowed range (minutes).
const TOKENS = {
  AccessToken: {
    field: 'AccessTokenValidity',
    value: 60,
    unit: 'minutes',
    bareUnit: 'hours',
    min: 5,
    max: 24 * 60,
  },
  IdToken: { field: 'IdTokenValidity', value: 60, unit: 'minutes', bareUnit: 'hours', min: 5, max: 24 * 60 },
  RefreshToken: {
    field: 'RefreshTokenValidity',
    value: 30,
    unit: 'days',
    bareUnit: 'days',
    min: 60,
    max: 3650 * 24 * 60,
  },
} as const;
const TOKEN_NAMES = { AccessToken: 'access', IdToken: 'ID', RefreshToken: 'refresh' } as const;

// Settings accepted and returned as given.
const PASS_THROUGH = [
  'ReadAttributes',
  'WriteAttributes',
  'SupportedIdentityProviders',
  'CallbackURLs',
  'LogoutURLs',
  'DefaultRedirectURI',
  'AllowedOAuthFlows',
  'AllowedOAuthScopes',
  'AnalyticsConfiguration',
  'RefreshTokenRotation',
] as const;

/**
 * The client settings in a Create/UpdateUserPoolClient request. Absent settings take their defaults —
 * for UpdateUserPoolClient too, as in Cognito. Token validities are stored with explicit units.
 */
export function readClientSettings(input: Input): ClientConfig {
  const flows = optionalStringList(input, 'ExplicitAuthFlows', { values: AUTH_FLOWS }) ?? DEFAULT_FLOWS;
  if (flows.some((flow) => LEGACY_FLOWS.includes(flow)) && flows.some((flow) => flow.startsWith('ALLOW_'))) {
    throw invalidParameter('ExplicitAuthFlows cannot have both ALLOW_ and legacy auth flow values.');
  }
  const config: ClientConfig = {
    ExplicitAuthFlows: [...new Set(flows)],
    AuthSessionValidity: optionalInteger(input, 'AuthSessionValidity', { min: 3, max: 15 }) ?? 3,
    EnableTokenRevocation: optionalBoolean(input, 'EnableTokenRevocation') ?? true,
    PreventUserExistenceErrors:
      optionalEnum(input, 'PreventUserExistenceErrors', ['LEGACY', 'ENABLED']) ?? 'LEGACY',
    EnablePropagateAdditionalUserContextData:
      optionalBoolean(input, 'EnablePropagateAdditionalUserContextData') ?? false,
    AllowedOAuthFlowsUserPoolClient: optionalBoolean(input, 'AllowedOAuthFlowsUserPoolClient') ?? false,
    ...readTokenValidity(input),
  };
  for (const field of PASS_THROUGH) {
    const value = input[field];
    if (value !== undefined && value !== null) config[field] = value;
  }
  return config;
}

function readTokenValidity(input: Input) {
  const units = optionalObject(input, 'TokenValidityUnits') ?? {};
  const out: Record<string, number> = {};
  const outUnits: Record<string, Unit> = {};
  for (const [token, rules] of Object.entries(TOKENS) as [
    keyof typeof TOKENS,
    (typeof TOKENS)[keyof typeof TOKENS],
  ][]) {
    const value = optionalInteger(input, rules.field, { min: 1 });
    const givenUnit = optionalEnum(
      units,
      token,
      UNITS,
      `tokenValidityUnits.${token.charAt(0).toLowerCase()}${token.slice(1)}`,
    );
    const unit: Unit = givenUnit ?? (value === undefined ? rules.unit : rules.bareUnit);
    const amount = value ?? (givenUnit ? convert(rules.value, rules.unit, givenUnit) : rules.value);
    const minutes = amount * UNIT_MINUTES[unit];
    if (minutes < rules.min || minutes > rules.max) {
      throw invalidParameter(
        `Invalid range for token validity: the ${TOKEN_NAMES[token]} token must be valid between ${durationText(rules.min)} and ${durationText(rules.max)}.`,
      );
    }
    out[rules.field] = amount;
    outUnits[token] = unit;
  }
  return { ...out, TokenValidityUnits: outUnits };
}

function convert(amount: number, from: Unit, to: Unit): number {
  return Math.max(1, Math.round((amount * UNIT_MINUTES[from]) / UNIT_MINUTES[to]));
}

function durationText(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} day(s)`;
  if (minutes % 60 === 0) return `${minutes / 60} hour(s)`;
  return `${minutes} minute(s)`;
}

/** DescribeUserPoolClient's UserPoolClientType. */
export function userPoolClientType(client: ClientRecord) {
  return {
    ...client.config,
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.clientId,
    ...(client.secret ? { ClientSecret: client.secret } : {}),
    CreationDate: seconds(client.createdAt),
    LastModifiedDate: seconds(client.updatedAt),
  };
}
