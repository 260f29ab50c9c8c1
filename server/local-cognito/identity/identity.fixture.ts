// Set-up for the Cognito Identity and STS conformance suites, through the service's own APIs over the
// unmodified SDKs: a user pool shaped as Studio's (groups Full-access / Manage-only carrying role ARNs
// and precedence), an identity pool that maps their tokens to roles, and members signed in with
// ADMIN_USER_PASSWORD_AUTH for real ID tokens.
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  type GetCredentialsForIdentityCommandOutput,
  GetIdCommand,
  type RoleMapping,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { STSClient } from '@aws-sdk/client-sts';
import {
  addUserToGroup,
  createClient,
  createConfirmedUser,
  createGroup,
  createPool,
} from '../auth-test-fixture';
import { startTestService, type TestService } from '../test-support';

export const PASSWORD = 'Corr3ct-Horse!';

export function identityClient(url: string): CognitoIdentityClient {
  return new CognitoIdentityClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function stsClient(url: string, credentials: IssuedCredentials): STSClient {
  return new STSClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export interface StudioPools {
  userPoolId: string;
  clientId: string;
  /** `cognito-idp.us-east-1.amazonaws.com/<userPoolId>`: the Logins key. */
  provider: string;
  identityPoolId: string;
  fullRole: string;
  manageRole: string;
  authenticatedRole: string;
}

/** A user pool with Studio's two groups and an identity pool that maps their tokens to roles. */
export async function createStudioPools(
  t: TestService,
  identity: CognitoIdentityClient,
  options: { ambiguous?: RoleMapping['AmbiguousRoleResolution']; serverSideTokenCheck?: boolean } = {},
): Promise<StudioPools> {
  const userPoolId = await createPool(t, {
    PoolName: 'studio',
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
  });
  const { clientId } = await createClient(t, {
    UserPoolId: userPoolId,
    ClientName: 'studio-access-console',
    ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const role = (name: string) => `arn:aws:iam::000000000000:role/${userPoolId}_${name}`;
  const pools = {
    userPoolId,
    clientId,
    provider: `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`,
    fullRole: role('Full-access'),
    manageRole: role('Manage-only'),
    authenticatedRole: role('Authenticated'),
  };
  await createGroup(t, {
    UserPoolId: userPoolId,
    GroupName: 'Full-access',
    Precedence: 1,
    RoleArn: pools.fullRole,
  });
  await createGroup(t, {
    UserPoolId: userPoolId,
    GroupName: 'Manage-only',
    Precedence: 2,
    RoleArn: pools.manageRole,
  });
  const created = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: 'amplify_backend_manager_test',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [
        {
          ProviderName: pools.provider,
          ClientId: clientId,
          ServerSideTokenCheck: options.serverSideTokenCheck ?? true,
        },
      ],
    }),
  );
  const identityPoolId = created.IdentityPoolId!;
  await identity.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: identityPoolId,
      Roles: { authenticated: pools.authenticatedRole },
      RoleMappings: {
        [`${pools.provider}:${clientId}`]: {
          Type: 'Token',
          AmbiguousRoleResolution: options.ambiguous ?? 'Deny',
        },
      },
    }),
  );
  return { ...pools, identityPoolId };
}

/** A confirmed member with a permanent password, in the given groups. Returns the username. */
export async function createMember(
  t: TestService,
  pools: StudioPools,
  email: string,
  groups: string[],
): Promise<string> {
  const username = await createConfirmedUser(
    t,
    { UserPoolId: pools.userPoolId, Username: email, UserAttributes: [{ Name: 'email', Value: email }] },
    PASSWORD,
  );
  for (const GroupName of groups) {
    await addUserToGroup(t, { UserPoolId: pools.userPoolId, Username: username, GroupName });
  }
  return username;
}

/** Signs the member in (ADMIN_USER_PASSWORD_AUTH) and returns a fresh ID token. */
export async function idTokenOf(t: TestService, pools: StudioPools, email: string): Promise<string> {
  const out = await t.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pools.userPoolId,
      ClientId: pools.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD },
    }),
  );
  const token = out.AuthenticationResult?.IdToken;
  if (!token) throw new Error('AdminInitiateAuth returned no ID token');
  return token;
}

/** The Logins map of a token of the pools' user pool. */
export const loginsOf = (pools: StudioPools, token: string) => ({ [pools.provider]: token });

export interface IdentityCalls {
  getId(pools: StudioPools, token: string): Promise<string>;
  /** GetId, then GetCredentialsForIdentity with the same login. */
  credentialsFor(
    pools: StudioPools,
    token: string,
    customRoleArn?: string,
  ): Promise<GetCredentialsForIdentityCommandOutput>;
  /** The role issued credentials stand for, as the service recorded it (STS GetCallerIdentity names it too). */
  roleOf(accessKeyId: string | undefined): string | undefined;
}

export function identityCalls(t: TestService, identity: CognitoIdentityClient): IdentityCalls {
  const getId = async (pools: StudioPools, token: string) => {
    const out = await identity.send(
      new GetIdCommand({ IdentityPoolId: pools.identityPoolId, Logins: loginsOf(pools, token) }),
    );
    return out.IdentityId!;
  };
  return {
    getId,
    async credentialsFor(pools, token, customRoleArn) {
      const IdentityId = await getId(pools, token);
      return identity.send(
        new GetCredentialsForIdentityCommand({
          IdentityId,
          Logins: loginsOf(pools, token),
          CustomRoleArn: customRoleArn,
        }),
      );
    },
    roleOf(accessKeyId) {
      const row = t.service.context.db
        .prepare('SELECT role_arn FROM issued_credentials WHERE access_key_id = ?')
        .get(accessKeyId) as { role_arn: string } | undefined;
      return row?.role_arn;
    },
  };
}

/** A service with Studio's user and identity pools, and a Cognito Identity client for it. */
export interface IdentityTestbed {
  t: TestService;
  identity: CognitoIdentityClient;
  pools: StudioPools;
  calls: IdentityCalls;
  close(): Promise<void>;
}

export async function startIdentityTestbed(): Promise<IdentityTestbed> {
  const t = await startTestService();
  const identity = identityClient(t.service.url);
  const pools = await createStudioPools(t, identity);
  return {
    t,
    identity,
    pools,
    calls: identityCalls(t, identity),
    async close() {
      identity.destroy();
      await t.close();
    },
  };
}
