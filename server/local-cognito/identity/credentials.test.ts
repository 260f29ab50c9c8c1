// Conformance: GetId and GetCredentialsForIdentity with real ID tokens of the service's own user pools,
// through the unmodified @aws-sdk/client-cognito-identity: one identity per user, and the role Cognito
// would choose from the token and the role mapping.
import {
  type CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
  SetIdentityPoolRolesCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroup, expectFailure } from '../auth-test-fixture';
import type { TestService } from '../test-support';
import {
  createMember,
  createStudioPools,
  type IdentityCalls,
  type IdentityTestbed,
  idTokenOf,
  loginsOf,
  type StudioPools,
  startIdentityTestbed,
} from './identity.fixture';

let bed: IdentityTestbed;
let t: TestService;
let identity: CognitoIdentityClient;
let pools: StudioPools;
let calls: IdentityCalls;

beforeAll(async () => {
  bed = await startIdentityTestbed();
  ({ t, identity, pools, calls } = bed);
});

afterAll(() => bed?.close());

describe('GetId', () => {
  it('gives a user the same identity on every call and every sign-in, and another user another', async () => {
    await createMember(t, pools, 'stable@example.com', ['Full-access']);
    await createMember(t, pools, 'other@example.com', ['Manage-only']);
    const first = await calls.getId(pools, await idTokenOf(t, pools, 'stable@example.com'));
    const again = await calls.getId(pools, await idTokenOf(t, pools, 'stable@example.com'));
    const other = await calls.getId(pools, await idTokenOf(t, pools, 'other@example.com'));
    expect(first).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('answers ResourceNotFoundException for an unknown identity pool or identity', async () => {
    const IdentityPoolId = 'us-east-1:00000000-0000-0000-0000-000000000000';
    await expectFailure(
      identity.send(new GetIdCommand({ IdentityPoolId })),
      ResourceNotFoundException,
      `IdentityPool '${IdentityPoolId}' not found.`,
    );
    await expectFailure(
      identity.send(new GetCredentialsForIdentityCommand({ IdentityId: IdentityPoolId })),
      ResourceNotFoundException,
      `Identity '${IdentityPoolId}' not found.`,
    );
  });

  it('refuses unauthenticated identities when the pool does not allow them', async () => {
    await expectFailure(
      identity.send(new GetIdCommand({ IdentityPoolId: pools.identityPoolId })),
      NotAuthorizedException,
      'Unauthenticated access is not supported for this identity pool.',
    );
  });
});

describe('unauthenticated identities', () => {
  it('get the unauthenticated role when the pool allows them, a new identity each time', async () => {
    const guestRole = 'arn:aws:iam::000000000000:role/guest';
    const { IdentityPoolId } = await identity.send(
      new CreateIdentityPoolCommand({ IdentityPoolName: 'guests', AllowUnauthenticatedIdentities: true }),
    );
    const first = (await identity.send(new GetIdCommand({ IdentityPoolId }))).IdentityId;
    const second = (await identity.send(new GetIdCommand({ IdentityPoolId }))).IdentityId;
    expect(second).not.toBe(first);
    await expect(
      identity.send(new GetCredentialsForIdentityCommand({ IdentityId: first })),
    ).rejects.toMatchObject({ name: 'InvalidIdentityPoolConfigurationException' });
    await identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { unauthenticated: guestRole } }),
    );
    const out = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId: first }));
    expect(calls.roleOf(out.Credentials?.AccessKeyId)).toBe(guestRole);
  });
});

describe('GetCredentialsForIdentity chooses the role', () => {
  it('returns plainly local credentials for an hour, for the preferred role (lowest precedence)', async () => {
    await createMember(t, pools, 'both@example.com', ['Full-access', 'Manage-only']);
    const before = Date.now();
    const out = await calls.credentialsFor(pools, await idTokenOf(t, pools, 'both@example.com'));
    expect(out.IdentityId).toMatch(/^us-east-1:/);
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIALOCAL[A-Z2-7]{11}$/);
    expect(out.Credentials?.SecretKey).toMatch(/^[A-Za-z0-9+/]{40}$/);
    expect(out.Credentials?.SessionToken).toMatch(/^studio-access-local-identity-service\//);
    const expiresIn = out.Credentials!.Expiration!.getTime() - before;
    expect(expiresIn).toBeGreaterThan(59 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(60 * 60_000 + 1000);
    expect(calls.roleOf(out.Credentials?.AccessKeyId)).toBe(pools.fullRole);
  });

  it('takes a CustomRoleArn the token lists in cognito:roles, and refuses one it does not', async () => {
    const token = await idTokenOf(t, pools, 'both@example.com');
    const chosen = await calls.credentialsFor(pools, token, pools.manageRole);
    expect(calls.roleOf(chosen.Credentials?.AccessKeyId)).toBe(pools.manageRole);
    await expect(calls.credentialsFor(pools, token, pools.authenticatedRole)).rejects.toBeInstanceOf(
      NotAuthorizedException,
    );
  });

  it('denies an ambiguous token (tied or unnumbered groups with different roles) when the mapping says Deny', async () => {
    await createGroup(t, {
      UserPoolId: pools.userPoolId,
      GroupName: 'tie-a',
      Precedence: 5,
      RoleArn: `${pools.fullRole}-a`,
    });
    await createGroup(t, {
      UserPoolId: pools.userPoolId,
      GroupName: 'tie-b',
      Precedence: 5,
      RoleArn: `${pools.fullRole}-b`,
    });
    await createGroup(t, {
      UserPoolId: pools.userPoolId,
      GroupName: 'loose-a',
      RoleArn: `${pools.fullRole}-c`,
    });
    await createGroup(t, {
      UserPoolId: pools.userPoolId,
      GroupName: 'loose-b',
      RoleArn: `${pools.fullRole}-d`,
    });
    await createMember(t, pools, 'tied@example.com', ['tie-a', 'tie-b']);
    await createMember(t, pools, 'loose@example.com', ['loose-a', 'loose-b']);
    await createMember(t, pools, 'nobody@example.com', []);
    for (const email of ['tied@example.com', 'loose@example.com', 'nobody@example.com']) {
      await expectFailure(
        calls.credentialsFor(pools, await idTokenOf(t, pools, email)),
        NotAuthorizedException,
        `The ambiguous role mapping rules for: ${pools.provider} denied this request.`,
      );
    }
  });

  it('gives an ambiguous token the authenticated role when the mapping says AuthenticatedRole', async () => {
    const lenient = await createStudioPools(t, identity, { ambiguous: 'AuthenticatedRole' });
    await createGroup(t, {
      UserPoolId: lenient.userPoolId,
      GroupName: 'tie-a',
      Precedence: 5,
      RoleArn: `${lenient.fullRole}-a`,
    });
    await createGroup(t, {
      UserPoolId: lenient.userPoolId,
      GroupName: 'tie-b',
      Precedence: 5,
      RoleArn: `${lenient.fullRole}-b`,
    });
    await createMember(t, lenient, 'tied@example.com', ['tie-a', 'tie-b']);
    const out = await calls.credentialsFor(lenient, await idTokenOf(t, lenient, 'tied@example.com'));
    expect(calls.roleOf(out.Credentials?.AccessKeyId)).toBe(lenient.authenticatedRole);
  });

  it('uses the authenticated role without a role mapping, and refuses when there is none', async () => {
    const plain = await createStudioPools(t, identity);
    await createMember(t, plain, 'plain@example.com', ['Full-access']);
    await identity.send(
      new SetIdentityPoolRolesCommand({
        IdentityPoolId: plain.identityPoolId,
        Roles: { authenticated: plain.authenticatedRole },
      }),
    );
    const token = await idTokenOf(t, plain, 'plain@example.com');
    expect(calls.roleOf((await calls.credentialsFor(plain, token)).Credentials?.AccessKeyId)).toBe(
      plain.authenticatedRole,
    );
    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: plain.identityPoolId, Roles: {} }));
    await expect(calls.credentialsFor(plain, token)).rejects.toMatchObject({
      name: 'InvalidIdentityPoolConfigurationException',
    });
  });

  it("refuses another user's logins for an identity, and no logins for an identity that has some", async () => {
    await createMember(t, pools, 'owner@example.com', ['Full-access']);
    await createMember(t, pools, 'intruder@example.com', ['Full-access']);
    const ownerId = await calls.getId(pools, await idTokenOf(t, pools, 'owner@example.com'));
    await expectFailure(
      identity.send(
        new GetCredentialsForIdentityCommand({
          IdentityId: ownerId,
          Logins: loginsOf(pools, await idTokenOf(t, pools, 'intruder@example.com')),
        }),
      ),
      NotAuthorizedException,
      "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
    await expectFailure(
      identity.send(new GetCredentialsForIdentityCommand({ IdentityId: ownerId })),
      NotAuthorizedException,
      `Access to Identity '${ownerId}' is forbidden.`,
    );
  });
});

describe('GetCredentialsForIdentity with logins of two user pools', () => {
  it("refuses a login linked to another identity, even beside the identity's own", async () => {
    const a = await createStudioPools(t, identity);
    const b = await createStudioPools(t, identity);
    // One identity pool trusting both user pools.
    await identity.send(
      new UpdateIdentityPoolCommand({
        IdentityPoolId: a.identityPoolId,
        IdentityPoolName: 'two-providers',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [
          { ProviderName: a.provider, ClientId: a.clientId, ServerSideTokenCheck: true },
          { ProviderName: b.provider, ClientId: b.clientId, ServerSideTokenCheck: true },
        ],
      }),
    );
    await createMember(t, a, 'in-a@example.com', ['Full-access']);
    await createMember(t, b, 'in-b@example.com', ['Full-access']);
    const tokenA = await idTokenOf(t, a, 'in-a@example.com');
    const tokenB = await idTokenOf(t, b, 'in-b@example.com');
    const identityA = await calls.getId(a, tokenA);
    const identityB = (
      await identity.send(
        new GetIdCommand({ IdentityPoolId: a.identityPoolId, Logins: { [b.provider]: tokenB } }),
      )
    ).IdentityId;
    expect(identityB).not.toBe(identityA);
    await expectFailure(
      identity.send(
        new GetCredentialsForIdentityCommand({
          IdentityId: identityA,
          Logins: { [a.provider]: tokenA, [b.provider]: tokenB },
        }),
      ),
      NotAuthorizedException,
      "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    );
  });
});
