// SetIdentityPoolRoles and GetIdentityPoolRoles: the pool's default roles and its role mappings, which
// GetCredentialsForIdentity applies (./role-choice.ts). Setting replaces both.
import type { Operation, ServiceContext } from '../context';
import { invalidParameter } from '../errors';
import { stmt } from '../sql';
import {
  ARN_LENGTH,
  type Input,
  optionalEnum,
  optionalObject,
  requiredString,
  validationError,
} from '../validate';
import {
  getIdentityPool,
  type IdentityPoolRecord,
  type IdentityPoolRoles,
  identityPoolIdOf,
  type MappingRule,
  type RoleMapping,
} from './pool-records';

const MAX_MAPPINGS = 10;
const MAX_RULES = 25;

function readRoles(input: Input): IdentityPoolRoles {
  const value = optionalObject(input, 'Roles');
  if (!value) throw invalidParameter('Roles is required');
  const roles: IdentityPoolRoles = {};
  for (const key of Object.keys(value)) {
    if (key !== 'authenticated' && key !== 'unauthenticated') {
      throw invalidParameter(`Invalid key in Roles: ${key}. Expected authenticated or unauthenticated.`);
    }
    roles[key] = requiredString(value, key, { ...ARN_LENGTH, path: `roles.${key}` });
  }
  return roles;
}

/** The keys a role mapping may have: `<ProviderName>:<ClientId>` of a user pool provider, or a login provider. */
function mappingKeys(pool: IdentityPoolRecord): Set<string> {
  return new Set([
    ...(pool.config.CognitoIdentityProviders ?? []).map((p) => `${p.ProviderName}:${p.ClientId}`),
    ...Object.keys(pool.config.SupportedLoginProviders ?? {}),
  ]);
}

const MATCH_TYPES = ['Equals', 'Contains', 'StartsWith', 'NotEqual'] as const;

function readRule(value: unknown, path: string): MappingRule {
  const rule = optionalObject({ value }, 'value', path) ?? {};
  const matchType = optionalEnum(rule, 'MatchType', MATCH_TYPES, `${path}.matchType`);
  if (!matchType) throw validationError(`${path}.matchType`, undefined, 'Member must not be null');
  return {
    Claim: requiredString(rule, 'Claim', { path: `${path}.claim`, min: 1, max: 64 }),
    MatchType: matchType,
    Value: requiredString(rule, 'Value', { path: `${path}.value`, min: 1, max: 128 }),
    RoleARN: requiredString(rule, 'RoleARN', { path: `${path}.roleARN`, ...ARN_LENGTH }),
  };
}

function readMapping(value: unknown, key: string): RoleMapping {
  const path = `roleMappings.${key}.member`;
  const entry = optionalObject({ value }, 'value', path) ?? {};
  const type = optionalEnum(entry, 'Type', ['Token', 'Rules'], `${path}.type`);
  if (!type) throw validationError(`${path}.type`, undefined, 'Member must not be null');
  const ambiguous = optionalEnum(
    entry,
    'AmbiguousRoleResolution',
    ['AuthenticatedRole', 'Deny'],
    `${path}.ambiguousRoleResolution`,
  );
  if (!ambiguous) {
    throw invalidParameter(
      `AmbiguousRoleResolution must be specified for Token or Rules role mappings (${key})`,
    );
  }
  const mapping: RoleMapping = { Type: type, AmbiguousRoleResolution: ambiguous };
  if (type === 'Rules') {
    const rules = optionalObject(entry, 'RulesConfiguration', `${path}.rulesConfiguration`)?.Rules;
    if (!Array.isArray(rules) || rules.length === 0 || rules.length > MAX_RULES) {
      throw invalidParameter(
        `RulesConfiguration with 1 to ${MAX_RULES} rules is required for Rules (${key})`,
      );
    }
    mapping.RulesConfiguration = {
      Rules: rules.map((rule, index) => readRule(rule, `${path}.rulesConfiguration.rules.${index + 1}`)),
    };
  }
  return mapping;
}

function readMappings(input: Input, pool: IdentityPoolRecord): Record<string, RoleMapping> {
  const value = optionalObject(input, 'RoleMappings');
  if (!value) return {};
  const entries = Object.entries(value);
  if (entries.length > MAX_MAPPINGS) {
    throw invalidParameter(`RoleMappings may have at most ${MAX_MAPPINGS} entries`);
  }
  const allowed = mappingKeys(pool);
  const mappings: Record<string, RoleMapping> = {};
  for (const [key, mapping] of entries) {
    if (!allowed.has(key)) {
      throw invalidParameter(
        `${key} is not a valid RoleMapping ProviderName or is not a configured provider.`,
      );
    }
    mappings[key] = readMapping(mapping, key);
  }
  return mappings;
}

function setIdentityPoolRoles(input: Input, ctx: ServiceContext) {
  const pool = getIdentityPool(ctx, identityPoolIdOf(input));
  const roles = readRoles(input);
  const mappings = readMappings(input, pool);
  stmt(ctx.db, 'UPDATE identity_pools SET roles = ?, role_mappings = ?, updated_at = ? WHERE id = ?').run(
    JSON.stringify(roles),
    JSON.stringify(mappings),
    ctx.now(),
    pool.id,
  );
  return {};
}

function getIdentityPoolRoles(input: Input, ctx: ServiceContext) {
  const pool = getIdentityPool(ctx, identityPoolIdOf(input));
  return {
    IdentityPoolId: pool.id,
    Roles: pool.roles,
    ...(Object.keys(pool.roleMappings).length > 0 ? { RoleMappings: pool.roleMappings } : {}),
  };
}

export const identityRoleOperations: Record<string, Operation> = {
  SetIdentityPoolRoles: setIdentityPoolRoles,
  GetIdentityPoolRoles: getIdentityPoolRoles,
};
