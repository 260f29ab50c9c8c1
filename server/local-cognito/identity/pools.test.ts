// Conformance: identity pools and their roles, through the unmodified @aws-sdk/client-cognito-identity.
import {
  type CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DeleteIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  InvalidParameterException,
  ListIdentityPoolsCommand,
  ResourceNotFoundException,
  SetIdentityPoolRolesCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure } from '../auth-test-fixture';
import { startTestService, type TestService } from '../test-support';
import { identityClient } from './identity.fixture';

let t: TestService;
let identity: CognitoIdentityClient;

beforeAll(async () => {
  t = await startTestService();
  identity = identityClient(t.service.url);
});

afterAll(async () => {
  identity.destroy();
  await t.close();
});

const PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz';
const ROLE = 'arn:aws:iam::000000000000:role/us-east-1_AbC123xyz_Full-access';

async function createIdentityPool(name: string) {
  const created = await identity.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: name,
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: 'client1', ServerSideTokenCheck: true }],
    }),
  );
  return created.IdentityPoolId!;
}

describe('identity pools', () => {
  it('creates and describes a pool with a <region>:<uuid> id', async () => {
    const created = await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'amplify_backend_manager_abc',
        AllowUnauthenticatedIdentities: false,
        CognitoIdentityProviders: [
          { ProviderName: PROVIDER, ClientId: 'client1', ServerSideTokenCheck: true },
        ],
        IdentityPoolTags: { app: 'studio' },
      }),
    );
    expect(created.IdentityPoolId).toMatch(
      /^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    const described = await identity.send(
      new DescribeIdentityPoolCommand({ IdentityPoolId: created.IdentityPoolId }),
    );
    expect(described).toMatchObject({
      IdentityPoolId: created.IdentityPoolId,
      IdentityPoolName: 'amplify_backend_manager_abc',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [{ ProviderName: PROVIDER, ClientId: 'client1', ServerSideTokenCheck: true }],
      IdentityPoolTags: { app: 'studio' },
    });
  });

  it('lists pools in creation order, a page at a time', async () => {
    const ids: string[] = [];
    for (const name of ['page-a', 'page-b', 'page-c', 'page-d', 'page-e'])
      ids.push(await createIdentityPool(name));
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const page = await identity.send(new ListIdentityPoolsCommand({ MaxResults: 2, NextToken }));
      expect(page.IdentityPools!.length).toBeLessThanOrEqual(2);
      seen.push(...page.IdentityPools!.map((pool) => pool.IdentityPoolId!));
      NextToken = page.NextToken;
      pages++;
    } while (NextToken);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('asks for MaxResults between 1 and 60, as Cognito does', async () => {
    await expectFailure(
      identity.send(new ListIdentityPoolsCommand({ MaxResults: 61 })),
      InvalidParameterException,
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  });

  it('replaces every setting on update, removing what the update leaves out', async () => {
    const id = await createIdentityPool('to-update');
    const updated = await identity.send(
      new UpdateIdentityPoolCommand({
        IdentityPoolId: id,
        IdentityPoolName: 'updated',
        AllowUnauthenticatedIdentities: true,
      }),
    );
    expect(updated).toMatchObject({ IdentityPoolName: 'updated', AllowUnauthenticatedIdentities: true });
    const described = await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id }));
    expect(described.CognitoIdentityProviders).toBeUndefined();
  });

  it('deletes a pool; then it is not found', async () => {
    const id = await createIdentityPool('to-delete');
    await identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId: id }));
    await expectFailure(
      identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: id })),
      ResourceNotFoundException,
      `IdentityPool '${id}' not found.`,
    );
  });

  it('answers ResourceNotFoundException for a pool that never existed, on every operation', async () => {
    const IdentityPoolId = 'us-east-1:00000000-0000-0000-0000-000000000000';
    // One call at a time: calls made up front could be refused before anyone awaits them.
    for (const call of [
      () => identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId })),
      () => identity.send(new DeleteIdentityPoolCommand({ IdentityPoolId })),
      () => identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId })),
      () => identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: {} })),
      () =>
        identity.send(
          new UpdateIdentityPoolCommand({
            IdentityPoolId,
            IdentityPoolName: 'x',
            AllowUnauthenticatedIdentities: false,
          }),
        ),
    ]) {
      await expectFailure(call(), ResourceNotFoundException, `IdentityPool '${IdentityPoolId}' not found.`);
    }
  });

  it('refuses a provider that is not a user pool, and a bad name', async () => {
    await expect(
      identity.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'x',
          AllowUnauthenticatedIdentities: false,
          CognitoIdentityProviders: [{ ProviderName: 'accounts.google.com', ClientId: 'c' }],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      identity.send(
        new CreateIdentityPoolCommand({
          IdentityPoolName: 'no/slash',
          AllowUnauthenticatedIdentities: false,
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});

describe('identity pool roles', () => {
  it('sets and gets the roles and a Token role mapping', async () => {
    const id = await createIdentityPool('roles');
    const RoleMappings = {
      [`${PROVIDER}:client1`]: { Type: 'Token' as const, AmbiguousRoleResolution: 'Deny' as const },
    };
    await identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: { authenticated: ROLE }, RoleMappings }),
    );
    const roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }));
    expect(roles).toMatchObject({ IdentityPoolId: id, Roles: { authenticated: ROLE }, RoleMappings });

    // Setting again replaces both: no mapping now.
    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: {} }));
    const cleared = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }));
    expect(cleared.Roles).toEqual({});
    expect(cleared.RoleMappings).toBeUndefined();
  });

  it('refuses a mapping for a provider the pool does not have, and one without AmbiguousRoleResolution', async () => {
    const id = await createIdentityPool('bad-mapping');
    await expectFailure(
      identity.send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: id,
          Roles: {},
          RoleMappings: { [`${PROVIDER}:other-client`]: { Type: 'Token', AmbiguousRoleResolution: 'Deny' } },
        }),
      ),
      InvalidParameterException,
      `${PROVIDER}:other-client is not a valid RoleMapping ProviderName or is not a configured provider.`,
    );
    await expect(
      identity.send(
        new SetIdentityPoolRolesCommand({
          IdentityPoolId: id,
          Roles: {},
          RoleMappings: { [`${PROVIDER}:client1`]: { Type: 'Token' } },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId: id, Roles: { admin: ROLE } })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });
});
