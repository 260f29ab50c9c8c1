import 'server-only';
import {
  type CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  ListIdentityPoolsCommand,
  SetIdentityPoolRolesCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import type { Env } from '@/server/env';
import { cognitoCall, IdentityError } from './errors';
import { userPoolName } from './resources';

// Studio's identity pool `amplify_backend_manager_<APP_ID>`: it turns a member's ID token into AWS
// credentials for their group's role. Its shape is the one infra/lib/studio-stack.ts declares; the
// stack's test checks the two agree.

export type IdentityPoolEnv = Pick<Env, 'appId' | 'awsRegion'> & Partial<Pick<Env, 'identityPoolId'>>;

export interface IdentityPoolProvider {
  providerName: string;
  clientId: string;
  serverSideTokenCheck: boolean;
}

export interface IdentityPoolRoleMapping {
  type: 'Token' | 'Rules';
  ambiguousRoleResolution: 'AuthenticatedRole' | 'Deny' | undefined;
}

/** An identity pool as Studio reads it, without Cognito's SDK shapes. */
export interface IdentityPoolShape {
  name: string;
  allowUnauthenticated: boolean;
  providers: IdentityPoolProvider[];
  roles: { authenticated?: string; unauthenticated?: string };
  /** Keyed `<ProviderName>:<ClientId>`, as Cognito keys a user pool's mapping. */
  roleMappings: Record<string, IdentityPoolRoleMapping>;
}

export interface IdentityPool extends IdentityPoolShape {
  id: string;
}

/** Same name as the user pool, as Amplify Studio names both. */
export function identityPoolName(appId: string): string {
  return userPoolName(appId);
}

/** The Logins key and provider name of a user pool: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
export function userPoolProviderName(region: string, userPoolId: string): string {
  return `cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * The identity pool's id: IDENTITY_POOL_ID when set (undefined if it does not exist), else the first
 * pool named `amplify_backend_manager_<appId>` in ListIdentityPools order. That API gives no creation
 * dates; the embedded service lists in creation order, so there the first is the oldest.
 */
export async function findIdentityPool(
  client: CognitoIdentityClient,
  env: IdentityPoolEnv,
): Promise<string | undefined> {
  if (env.identityPoolId) {
    const IdentityPoolId = env.identityPoolId;
    try {
      await cognitoCall(() => client.send(new DescribeIdentityPoolCommand({ IdentityPoolId })));
      return IdentityPoolId;
    } catch (error) {
      if (error instanceof IdentityError && error.code === 'not_found') return undefined;
      throw error;
    }
  }
  const name = identityPoolName(env.appId);
  let NextToken: string | undefined;
  do {
    const page = await cognitoCall(() =>
      client.send(new ListIdentityPoolsCommand({ MaxResults: 60, NextToken })),
    );
    const found = page.IdentityPools?.find((pool) => pool.IdentityPoolName === name && pool.IdentityPoolId);
    if (found?.IdentityPoolId) return found.IdentityPoolId;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

/** The pool's settings, providers, roles and role mappings (DescribeIdentityPool + GetIdentityPoolRoles). */
export async function readIdentityPool(client: CognitoIdentityClient, id: string): Promise<IdentityPool> {
  const [pool, roles] = await Promise.all([
    cognitoCall(() => client.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }))),
    cognitoCall(() => client.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }))),
  ]);
  const roleMappings: Record<string, IdentityPoolRoleMapping> = {};
  for (const [key, mapping] of Object.entries(roles.RoleMappings ?? {})) {
    roleMappings[key] = {
      type: mapping.Type === 'Rules' ? 'Rules' : 'Token',
      ambiguousRoleResolution: mapping.AmbiguousRoleResolution,
    };
  }
  return {
    id,
    name: pool.IdentityPoolName ?? '',
    allowUnauthenticated: pool.AllowUnauthenticatedIdentities ?? false,
    providers: (pool.CognitoIdentityProviders ?? []).map((provider) => ({
      providerName: provider.ProviderName ?? '',
      clientId: provider.ClientId ?? '',
      serverSideTokenCheck: provider.ServerSideTokenCheck ?? false,
    })),
    roles: {
      ...(roles.Roles?.authenticated ? { authenticated: roles.Roles.authenticated } : {}),
      ...(roles.Roles?.unauthenticated ? { unauthenticated: roles.Roles.unauthenticated } : {}),
    },
    roleMappings,
  };
}

/** readIdentityPool, or null when no identity pool has that id. */
export async function readIdentityPoolIfExists(
  client: CognitoIdentityClient,
  id: string,
): Promise<IdentityPool | null> {
  try {
    return await readIdentityPool(client, id);
  } catch (error) {
    if (error instanceof IdentityError && error.code === 'not_found') return null;
    throw error;
  }
}

/**
 * Studio's identity pool for a user pool and its app client: authenticated identities of that one
 * client only, server-side token checks (a signed-out or removed member's token is refused), the role
 * taken from the token (the group's role by precedence), ambiguous tokens denied, no default roles.
 */
export function expectedIdentityPool(
  env: Pick<Env, 'appId' | 'awsRegion'>,
  pool: { poolId: string; clientId: string },
): IdentityPoolShape {
  const providerName = userPoolProviderName(env.awsRegion, pool.poolId);
  return {
    name: identityPoolName(env.appId),
    allowUnauthenticated: false,
    providers: [{ providerName, clientId: pool.clientId, serverSideTokenCheck: true }],
    roles: {},
    roleMappings: {
      [`${providerName}:${pool.clientId}`]: { type: 'Token', ambiguousRoleResolution: 'Deny' },
    },
  };
}

const providerKey = (provider: IdentityPoolProvider) => `${provider.providerName}:${provider.clientId}`;

function settingsDrift(actual: IdentityPoolShape, expected: IdentityPoolShape): string[] {
  const problems: string[] = [];
  if (actual.allowUnauthenticated !== expected.allowUnauthenticated) {
    problems.push(
      expected.allowUnauthenticated
        ? 'unauthenticated identities are not allowed'
        : 'unauthenticated identities are allowed',
    );
  }
  const actualProviders = new Map(actual.providers.map((provider) => [providerKey(provider), provider]));
  const expectedKeys = new Set(expected.providers.map(providerKey));
  for (const provider of expected.providers) {
    const found = actualProviders.get(providerKey(provider));
    if (!found) problems.push(`provider ${providerKey(provider)} is missing`);
    else if (found.serverSideTokenCheck !== provider.serverSideTokenCheck) {
      problems.push(
        `provider ${providerKey(provider)} has server-side token check ${found.serverSideTokenCheck ? 'on' : 'off'}`,
      );
    }
  }
  for (const key of actualProviders.keys()) {
    if (!expectedKeys.has(key)) problems.push(`provider ${key} is not Studio's`);
  }
  return problems;
}

function rolesDrift(actual: IdentityPoolShape, expected: IdentityPoolShape): string[] {
  const problems: string[] = [];
  for (const kind of ['authenticated', 'unauthenticated'] as const) {
    if (actual.roles[kind] !== expected.roles[kind]) {
      problems.push(
        `${kind} role is ${actual.roles[kind] ?? 'not set'}, expected ${expected.roles[kind] ?? 'none'}`,
      );
    }
  }
  for (const [key, mapping] of Object.entries(expected.roleMappings)) {
    const found = actual.roleMappings[key];
    if (!found) problems.push(`role mapping for ${key} is missing`);
    else if (found.type !== mapping.type)
      problems.push(`role mapping for ${key} is ${found.type}, expected ${mapping.type}`);
    else if (found.ambiguousRoleResolution !== mapping.ambiguousRoleResolution) {
      problems.push(
        `role mapping for ${key} resolves ambiguous tokens with ${found.ambiguousRoleResolution ?? 'nothing'}, expected ${mapping.ambiguousRoleResolution}`,
      );
    }
  }
  for (const key of Object.keys(actual.roleMappings)) {
    if (!(key in expected.roleMappings)) problems.push(`role mapping for ${key} is not Studio's`);
  }
  return problems;
}

/** What differs between an identity pool and Studio's shape, one line each; empty when it matches. The name is not compared. */
export function identityPoolDrift(actual: IdentityPoolShape, expected: IdentityPoolShape): string[] {
  return [...settingsDrift(actual, expected), ...rolesDrift(actual, expected)];
}

function identityPoolSettings(shape: IdentityPoolShape) {
  return {
    AllowUnauthenticatedIdentities: shape.allowUnauthenticated,
    CognitoIdentityProviders: shape.providers.map((provider) => ({
      ProviderName: provider.providerName,
      ClientId: provider.clientId,
      ServerSideTokenCheck: provider.serverSideTokenCheck,
    })),
  };
}

function identityPoolRoles(id: string, shape: IdentityPoolShape) {
  const RoleMappings = Object.fromEntries(
    Object.entries(shape.roleMappings).map(([key, mapping]) => [
      key,
      { Type: mapping.type, AmbiguousRoleResolution: mapping.ambiguousRoleResolution },
    ]),
  );
  return new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: shape.roles, RoleMappings });
}

async function repair(client: CognitoIdentityClient, actual: IdentityPool, expected: IdentityPoolShape) {
  const settings = settingsDrift(actual, expected);
  if (settings.length > 0) {
    // UpdateIdentityPool replaces every setting; the name is kept as it is.
    await cognitoCall(() =>
      client.send(
        new UpdateIdentityPoolCommand({
          IdentityPoolId: actual.id,
          IdentityPoolName: actual.name,
          ...identityPoolSettings(expected),
        }),
      ),
    );
  }
  const roles = rolesDrift(actual, expected);
  if (roles.length > 0) await cognitoCall(() => client.send(identityPoolRoles(actual.id, expected)));
  return [...settings, ...roles];
}

export interface EnsuredIdentityPool {
  identityPoolId: string;
  created: boolean;
  /** The drift found and repaired, one line each (identityPoolDrift's wording). */
  repaired: string[];
}

/**
 * Creates Studio's identity pool for the user pool, or repairs the one there is (UpdateIdentityPool,
 * SetIdentityPoolRoles) without replacing it, so identities stay. Two processes creating it at once
 * both end with the first one created; the other deletes its own.
 */
export async function ensureIdentityPool(
  client: CognitoIdentityClient,
  env: IdentityPoolEnv,
  pool: { poolId: string; clientId: string },
): Promise<EnsuredIdentityPool> {
  const expected = expectedIdentityPool(env, pool);
  const existing = await findIdentityPool(client, env);
  if (existing) {
    const repaired = await repair(client, await readIdentityPool(client, existing), expected);
    return { identityPoolId: existing, created: false, repaired };
  }
  if (env.identityPoolId) {
    throw new IdentityError(
      'not_found',
      `Identity pool ${env.identityPoolId} (IDENTITY_POOL_ID) does not exist`,
    );
  }
  const created = await cognitoCall(() =>
    client.send(
      new CreateIdentityPoolCommand({ IdentityPoolName: expected.name, ...identityPoolSettings(expected) }),
    ),
  );
  const ownId = created.IdentityPoolId;
  if (!ownId) throw new IdentityError('unknown', 'CreateIdentityPool returned no identity pool id');
  await cognitoCall(() => client.send(identityPoolRoles(ownId, expected)));
  const first = await findIdentityPool(client, env);
  if (first && first !== ownId) {
    await deleteIdentityPool(client, ownId);
    await repair(client, await readIdentityPool(client, first), expected);
    return { identityPoolId: first, created: false, repaired: [] };
  }
  return { identityPoolId: ownId, created: true, repaired: [] };
}

/** Deletes the identity pool and its identities; false when it did not exist. */
export async function deleteIdentityPool(client: CognitoIdentityClient, id: string): Promise<boolean> {
  try {
    await cognitoCall(() => client.send(new DeleteIdentityPoolCommand({ IdentityPoolId: id })));
    return true;
  } catch (error) {
    if (error instanceof IdentityError && error.code === 'not_found') return false;
    throw error;
  }
}
