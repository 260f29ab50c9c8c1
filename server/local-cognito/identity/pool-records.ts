// Identity pools as stored: their settings, roles and role mappings in Cognito Identity's own field
// names (DescribeIdentityPool and GetIdentityPoolRoles return them as they are), and the look-ups the
// operations share.
import type { ServiceContext } from '../context';
import { resourceNotFound } from '../errors';
import { stmt } from '../sql';
import { type Input, requiredString } from '../validate';

export interface CognitoIdentityProvider {
  ProviderName: string;
  ClientId: string;
  ServerSideTokenCheck: boolean;
}

/** The IdentityPool fields besides id and name. */
export interface IdentityPoolConfig {
  AllowUnauthenticatedIdentities: boolean;
  AllowClassicFlow?: boolean;
  CognitoIdentityProviders?: CognitoIdentityProvider[];
  SupportedLoginProviders?: Record<string, string>;
  DeveloperProviderName?: string;
  OpenIdConnectProviderARNs?: string[];
  SamlProviderARNs?: string[];
  IdentityPoolTags?: Record<string, string>;
}

export interface MappingRule {
  Claim: string;
  MatchType: 'Equals' | 'Contains' | 'StartsWith' | 'NotEqual';
  Value: string;
  RoleARN: string;
}

export interface RoleMapping {
  Type: 'Token' | 'Rules';
  AmbiguousRoleResolution?: 'AuthenticatedRole' | 'Deny';
  RulesConfiguration?: { Rules: MappingRule[] };
}

export interface IdentityPoolRoles {
  authenticated?: string;
  unauthenticated?: string;
}

export interface IdentityPoolRecord {
  id: string;
  name: string;
  config: IdentityPoolConfig;
  roles: IdentityPoolRoles;
  /** Keyed `<ProviderName>:<ClientId>` for user pools, as Cognito keys them. */
  roleMappings: Record<string, RoleMapping>;
  createdAt: number;
}

interface IdentityPoolRow {
  id: string;
  name: string;
  config: string;
  roles: string;
  role_mappings: string;
  created_at: number;
}

/** The IdentityPoolId parameter: `<region>:<uuid>`. */
export const identityPoolIdOf = (input: Input) =>
  requiredString(input, 'IdentityPoolId', {
    min: 1,
    max: 55,
    pattern: /^[\w-]+:[0-9a-f-]+$/,
    patternText: '[\\w-]+:[0-9a-f-]+',
  });

export function getIdentityPool(ctx: ServiceContext, id: string): IdentityPoolRecord {
  const row = stmt(ctx.db, 'SELECT * FROM identity_pools WHERE id = ?').get(id) as
    | IdentityPoolRow
    | undefined;
  if (!row) throw resourceNotFound(`IdentityPool '${id}' not found.`);
  return {
    id: row.id,
    name: row.name,
    config: JSON.parse(row.config) as IdentityPoolConfig,
    roles: JSON.parse(row.roles) as IdentityPoolRoles,
    roleMappings: JSON.parse(row.role_mappings) as Record<string, RoleMapping>,
    createdAt: row.created_at,
  };
}

/** Cognito Identity's IdentityPool shape (CreateIdentityPool, DescribeIdentityPool, UpdateIdentityPool). */
export function identityPoolType(pool: IdentityPoolRecord) {
  return { IdentityPoolId: pool.id, IdentityPoolName: pool.name, ...pool.config };
}
