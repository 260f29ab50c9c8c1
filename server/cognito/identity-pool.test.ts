import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type CognitoIdentityClient,
  CreateIdentityPoolCommand,
  ListIdentityPoolsCommand,
  SetIdentityPoolRolesCommand,
  UpdateIdentityPoolCommand,
} from '@aws-sdk/client-cognito-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import { createCognitoIdentityClient } from './identity-client';
import {
  deleteIdentityPool,
  ensureIdentityPool,
  expectedIdentityPool,
  findIdentityPool,
  identityPoolDrift,
  identityPoolName,
  readIdentityPool,
} from './identity-pool';

const env = { appId: 'd1a2b3c4d5', awsRegion: 'us-east-1' };
const userPool = { poolId: 'us-east-1_AbC123xyz', clientId: 'consoleclient1' };
const PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz';
const MAPPING_KEY = `${PROVIDER}:consoleclient1`;

let dataDir: string;
let service: LocalCognito;
let client: CognitoIdentityClient;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-pool-test-'));
  service = await startLocalCognito({ dataDir, port: 0, log: () => {} });
  client = createCognitoIdentityClient({
    identityBackend: 'local',
    cognitoEndpoint: service.url,
    awsRegion: 'us-east-1',
  });
});

afterAll(async () => {
  client.destroy();
  await service.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function poolsNamed(name: string): Promise<string[]> {
  const { IdentityPools } = await client.send(new ListIdentityPoolsCommand({ MaxResults: 60 }));
  return (IdentityPools ?? [])
    .filter((pool) => pool.IdentityPoolName === name)
    .map((pool) => pool.IdentityPoolId!);
}

describe('expectedIdentityPool', () => {
  it('is the stack’s shape: the console’s client only, server-side token check, role from the token, Deny', () => {
    expect(expectedIdentityPool(env, userPool)).toEqual({
      name: 'amplify_backend_manager_d1a2b3c4d5',
      allowUnauthenticated: false,
      providers: [{ providerName: PROVIDER, clientId: 'consoleclient1', serverSideTokenCheck: true }],
      roles: {},
      roleMappings: { [MAPPING_KEY]: { type: 'Token', ambiguousRoleResolution: 'Deny' } },
    });
  });
});

describe('identityPoolDrift', () => {
  const expected = expectedIdentityPool(env, userPool);

  it('finds nothing in the expected shape', () => {
    expect(identityPoolDrift(expected, expected)).toEqual([]);
  });

  it('names each difference in a line', () => {
    const drifted = {
      ...expected,
      allowUnauthenticated: true,
      providers: [
        { providerName: PROVIDER, clientId: 'consoleclient1', serverSideTokenCheck: false },
        { providerName: PROVIDER, clientId: 'otherclient', serverSideTokenCheck: true },
      ],
      roles: { authenticated: 'arn:aws:iam::000000000000:role/anyone' },
      roleMappings: {
        [MAPPING_KEY]: { type: 'Token' as const, ambiguousRoleResolution: 'AuthenticatedRole' as const },
        [`${PROVIDER}:otherclient`]: { type: 'Rules' as const, ambiguousRoleResolution: 'Deny' as const },
      },
    };
    expect(identityPoolDrift(drifted, expected)).toEqual([
      'unauthenticated identities are allowed',
      `provider ${MAPPING_KEY} has server-side token check off`,
      `provider ${PROVIDER}:otherclient is not Studio's`,
      'authenticated role is arn:aws:iam::000000000000:role/anyone, expected none',
      `role mapping for ${MAPPING_KEY} resolves ambiguous tokens with AuthenticatedRole, expected Deny`,
      `role mapping for ${PROVIDER}:otherclient is not Studio's`,
    ]);
    expect(identityPoolDrift({ ...expected, providers: [], roleMappings: {} }, expected)).toEqual([
      `provider ${MAPPING_KEY} is missing`,
      `role mapping for ${MAPPING_KEY} is missing`,
    ]);
  });
});

describe('ensureIdentityPool', () => {
  it('creates amplify_backend_manager_<APP_ID>; a second call changes nothing', async () => {
    const first = await ensureIdentityPool(client, env, userPool);
    expect(first).toMatchObject({ created: true, repaired: [] });
    expect(first.identityPoolId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    const pool = await readIdentityPool(client, first.identityPoolId);
    expect(pool.name).toBe(identityPoolName(env.appId));
    expect(identityPoolDrift(pool, expectedIdentityPool(env, userPool))).toEqual([]);

    expect(await ensureIdentityPool(client, env, userPool)).toEqual({
      identityPoolId: first.identityPoolId,
      created: false,
      repaired: [],
    });
    expect(await poolsNamed('amplify_backend_manager_d1a2b3c4d5')).toEqual([first.identityPoolId]);
  });

  it('repairs a broken role mapping and a removed provider, keeping the pool', async () => {
    const { identityPoolId } = await ensureIdentityPool(client, env, userPool);
    await client.send(
      new SetIdentityPoolRolesCommand({
        IdentityPoolId: identityPoolId,
        Roles: { authenticated: 'arn:aws:iam::000000000000:role/anyone' },
        RoleMappings: { [MAPPING_KEY]: { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole' } },
      }),
    );
    await client.send(
      new UpdateIdentityPoolCommand({
        IdentityPoolId: identityPoolId,
        IdentityPoolName: identityPoolName(env.appId),
        AllowUnauthenticatedIdentities: false,
      }),
    );
    const expected = expectedIdentityPool(env, userPool);
    const drift = identityPoolDrift(await readIdentityPool(client, identityPoolId), expected);
    expect(drift).toEqual([
      `provider ${MAPPING_KEY} is missing`,
      'authenticated role is arn:aws:iam::000000000000:role/anyone, expected none',
      `role mapping for ${MAPPING_KEY} resolves ambiguous tokens with AuthenticatedRole, expected Deny`,
    ]);

    expect(await ensureIdentityPool(client, env, userPool)).toEqual({
      identityPoolId,
      created: false,
      repaired: drift,
    });
    expect(identityPoolDrift(await readIdentityPool(client, identityPoolId), expected)).toEqual([]);
  });

  it('ends with one pool when two starts create it at once', async () => {
    const twin = { ...env, appId: 'twins1234' };
    const [a, b] = await Promise.all([
      ensureIdentityPool(client, twin, userPool),
      ensureIdentityPool(client, twin, userPool),
    ]);
    expect(a.identityPoolId).toBe(b.identityPoolId);
    expect(await poolsNamed('amplify_backend_manager_twins1234')).toEqual([a.identityPoolId]);
  });

  it('finds the oldest of several pools with the name, and IDENTITY_POOL_ID before any name', async () => {
    const older = { ...env, appId: 'older1234' };
    const create = async (name: string) =>
      (
        await client.send(
          new CreateIdentityPoolCommand({ IdentityPoolName: name, AllowUnauthenticatedIdentities: false }),
        )
      ).IdentityPoolId!;
    const first = await create('amplify_backend_manager_older1234');
    const second = await create('amplify_backend_manager_older1234');
    expect(await findIdentityPool(client, older)).toBe(first);
    expect(await findIdentityPool(client, { ...older, identityPoolId: second })).toBe(second);
  });

  it('refuses an IDENTITY_POOL_ID that does not exist instead of creating a pool', async () => {
    const missing = 'us-east-1:00000000-0000-0000-0000-000000000000';
    await expect(
      ensureIdentityPool(client, { ...env, identityPoolId: missing }, userPool),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: `Identity pool ${missing} (IDENTITY_POOL_ID) does not exist`,
    });
  });

  it('deletes the pool, once', async () => {
    const gone = { ...env, appId: 'gone1234' };
    const { identityPoolId } = await ensureIdentityPool(client, gone, userPool);
    expect(await deleteIdentityPool(client, identityPoolId)).toBe(true);
    expect(await deleteIdentityPool(client, identityPoolId)).toBe(false);
    expect(await findIdentityPool(client, gone)).toBeUndefined();
  });
});
