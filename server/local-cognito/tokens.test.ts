// Conformance: the signing key, the JWKS and OpenID configuration, and tokens that aws-jwt-verify accepts
// with Cognito's claims.
import { GetUserCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwtInvalidIssuerError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUserToGroup,
  claimsOf,
  createClient,
  createConfirmedUser,
  createGroup,
  createPool,
} from './auth-test-fixture';
import { makeTempDir, startTestService, type TestService } from './test-support';

const PASSWORD = 'Corr3ct-Horse!';
const ROLE_FULL = 'arn:aws:iam::000000000000:role/pool_Full-access';
const ROLE_MANAGE = 'arn:aws:iam::000000000000:role/pool_Manage-only';

let t: TestService;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTestService();
  poolId = await createPool(t, { PoolName: 'tokens-suite' });
  ({ clientId } = await createClient(t, {
    UserPoolId: poolId,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
});

afterAll(async () => {
  await t.close();
});

async function signIn(username: string) {
  const out = await t.client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  const result = out.AuthenticationResult;
  if (!result?.AccessToken || !result.IdToken) throw new Error('no tokens');
  return { access: result.AccessToken, id: result.IdToken };
}

// aws-jwt-verify's own fetcher speaks only https; the service listens on http://127.0.0.1, so the JWKS
// is fetched with Node's fetch — still from the JWKS URL, still parsed and checked by aws-jwt-verify.
const httpJwksCache = () =>
  new SimpleJwksCache({
    fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
  });

/**
 * CognitoJwtVerifier derives the issuer from the pool id (https://cognito-idp.<region>.amazonaws.com/...)
 * and cannot be pointed elsewhere, so the embedded service's tokens are checked with JwtVerifier (issuer +
 * jwksUri) plus aws-jwt-verify's own Cognito claim checks (token_use, client_id/aud).
 */
function cognitoVerifier(tokenUse: 'id' | 'access', expectedClient = clientId) {
  const issuer = `${t.service.url}/${poolId}`;
  return JwtVerifier.create(
    {
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      // As CognitoJwtVerifier does: aud (ID token) / client_id (access token) are checked by validateCognitoJwtFields.
      audience: null,
      customJwtCheck: ({ payload }) =>
        validateCognitoJwtFields(payload, { tokenUse, clientId: expectedClient }),
    },
    { jwksCache: httpJwksCache() },
  );
}

describe('JWKS and OpenID configuration', () => {
  it('publishes the RS256 signing key of every pool', async () => {
    const response = await fetch(`${t.service.url}/${poolId}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { keys: Record<string, string>[] };
    expect(body.keys).toHaveLength(1);
    const [key] = body.keys;
    expect(Object.keys(key ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(key?.n).toMatch(/^[A-Za-z0-9_-]{342}$/);

    const { access } = await signIn(
      await createConfirmedUser(t, { UserPoolId: poolId, Username: 'kid-check' }, PASSWORD),
    );
    const header = JSON.parse(Buffer.from(access.split('.')[0] ?? '', 'base64url').toString()) as Record<
      string,
      string
    >;
    expect(header).toEqual({ alg: 'RS256', kid: key?.kid });
  });

  it('publishes the OpenID configuration with the issuer and JWKS URL', async () => {
    const response = await fetch(`${t.service.url}/${poolId}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.issuer).toBe(`${t.service.url}/${poolId}`);
    expect(body.jwks_uri).toBe(`${t.service.url}/${poolId}/.well-known/jwks.json`);
    expect(body.id_token_signing_alg_values_supported).toEqual(['RS256']);
  });

  it('answers 404 for a pool that does not exist', async () => {
    for (const file of ['jwks.json', 'openid-configuration']) {
      const response = await fetch(`${t.service.url}/us-east-1_nothere00/.well-known/${file}`);
      expect(response.status).toBe(404);
    }
  });
});

describe('tokens', () => {
  it('are accepted by aws-jwt-verify against the JWKS, with Cognito claims', async () => {
    await createGroup(t, { UserPoolId: poolId, GroupName: 'readers', Precedence: 0 });
    await createGroup(t, {
      UserPoolId: poolId,
      GroupName: 'Manage-only',
      Precedence: 2,
      RoleArn: ROLE_MANAGE,
    });
    await createGroup(t, { UserPoolId: poolId, GroupName: 'Full-access', Precedence: 1, RoleArn: ROLE_FULL });
    const username = await createConfirmedUser(
      t,
      {
        UserPoolId: poolId,
        Username: 'grace',
        UserAttributes: [
          { Name: 'email', Value: 'grace@example.com' },
          { Name: 'email_verified', Value: 'true' },
          { Name: 'name', Value: 'Grace Hopper' },
        ],
      },
      PASSWORD,
    );
    for (const group of ['Manage-only', 'readers', 'Full-access']) {
      await addUserToGroup(t, { UserPoolId: poolId, Username: username, GroupName: group });
    }
    const before = Math.floor(Date.now() / 1000);
    const tokens = await signIn(username);
    const after = Math.floor(Date.now() / 1000);
    const { Username, UserAttributes } = await t.client.send(
      new GetUserCommand({ AccessToken: tokens.access }),
    );
    expect(Username).toBe(username);
    const sub = UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    const issuer = `${t.service.url}/${poolId}`;

    const id = await cognitoVerifier('id').verify(tokens.id);
    expect(Object.keys(id).sort()).toEqual(
      [
        'aud',
        'auth_time',
        'cognito:groups',
        'cognito:preferred_role',
        'cognito:roles',
        'cognito:username',
        'email',
        'email_verified',
        'event_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'name',
        'origin_jti',
        'sub',
        'token_use',
      ].sort(),
    );
    expect(id).toMatchObject({
      sub,
      iss: issuer,
      aud: clientId,
      token_use: 'id',
      'cognito:username': username,
      email: 'grace@example.com',
      email_verified: true,
      name: 'Grace Hopper',
      'cognito:groups': ['readers', 'Full-access', 'Manage-only'],
      'cognito:roles': [ROLE_FULL, ROLE_MANAGE],
      'cognito:preferred_role': ROLE_FULL,
    });
    expect(id.iat).toBeGreaterThanOrEqual(before);
    expect(id.iat).toBeLessThanOrEqual(after);
    expect(id.auth_time).toBe(id.iat);
    expect(id.exp).toBe((id.iat as number) + 3600);

    const access = await cognitoVerifier('access').verify(tokens.access);
    expect(Object.keys(access).sort()).toEqual(
      [
        'auth_time',
        'client_id',
        'cognito:groups',
        'event_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'origin_jti',
        'scope',
        'sub',
        'token_use',
        'username',
      ].sort(),
    );
    expect(access).toMatchObject({
      sub,
      iss: issuer,
      client_id: clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username,
      'cognito:groups': ['readers', 'Full-access', 'Manage-only'],
    });
    expect(access.exp).toBe((access.iat as number) + 3600);
    // One sign-in: one family and one event, two distinct tokens.
    expect(access.origin_jti).toBe(id.origin_jti);
    expect(access.event_id).toBe(id.event_id);
    expect(access.jti).not.toBe(id.jti);
    for (const claim of ['jti', 'origin_jti', 'event_id'] as const) {
      expect(access[claim]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('are refused by aws-jwt-verify for the wrong use, client or issuer', async () => {
    const tokens = await signIn(
      await createConfirmedUser(t, { UserPoolId: poolId, Username: 'mallory' }, PASSWORD),
    );
    await expect(cognitoVerifier('access').verify(tokens.id)).rejects.toThrow(CognitoJwtInvalidTokenUseError);
    await expect(cognitoVerifier('id').verify(tokens.access)).rejects.toThrow(CognitoJwtInvalidTokenUseError);
    await expect(cognitoVerifier('access', 'another-client').verify(tokens.access)).rejects.toThrow(
      CognitoJwtInvalidClientIdError,
    );
    const otherPool = await createPool(t, { PoolName: 'other' });
    const wrongIssuer = JwtVerifier.create(
      {
        issuer: `${t.service.url}/${otherPool}`,
        jwksUri: `${t.service.url}/${otherPool}/.well-known/jwks.json`,
        audience: null,
      },
      { jwksCache: httpJwksCache() },
    );
    await expect(wrongIssuer.verify(tokens.access)).rejects.toThrow(JwtInvalidIssuerError);
  });

  it('leave out group claims for a user in no group, and the preferred role on a precedence tie', async () => {
    const loner = await createConfirmedUser(t, { UserPoolId: poolId, Username: 'loner' }, PASSWORD);
    const lonely = await signIn(loner);
    for (const claims of [claimsOf(lonely.id), claimsOf(lonely.access)]) {
      expect(claims).not.toHaveProperty('cognito:groups');
      expect(claims).not.toHaveProperty('cognito:roles');
      expect(claims).not.toHaveProperty('cognito:preferred_role');
    }
    await createGroup(t, {
      UserPoolId: poolId,
      GroupName: 'tie-a',
      Precedence: 5,
      RoleArn: `${ROLE_FULL}-a`,
    });
    await createGroup(t, {
      UserPoolId: poolId,
      GroupName: 'tie-b',
      Precedence: 5,
      RoleArn: `${ROLE_FULL}-b`,
    });
    const tied = await createConfirmedUser(t, { UserPoolId: poolId, Username: 'tied' }, PASSWORD);
    await addUserToGroup(t, { UserPoolId: poolId, Username: tied, GroupName: 'tie-a' });
    await addUserToGroup(t, { UserPoolId: poolId, Username: tied, GroupName: 'tie-b' });
    const id = claimsOf((await signIn(tied)).id);
    expect(id['cognito:roles']).toEqual([`${ROLE_FULL}-a`, `${ROLE_FULL}-b`]);
    expect(id).not.toHaveProperty('cognito:preferred_role');
  });

  it('prefer the role of tied groups that carry the same role, and a numbered group over unnumbered ones', async () => {
    const sameRole = `${ROLE_MANAGE}-same`;
    for (const GroupName of ['same-a', 'same-b']) {
      await createGroup(t, { UserPoolId: poolId, GroupName, Precedence: 7, RoleArn: sameRole });
    }
    const twin = await createConfirmedUser(t, { UserPoolId: poolId, Username: 'twin' }, PASSWORD);
    for (const GroupName of ['same-a', 'same-b']) {
      await addUserToGroup(t, { UserPoolId: poolId, Username: twin, GroupName });
    }
    const twinClaims = claimsOf((await signIn(twin)).id);
    expect(twinClaims['cognito:roles']).toEqual([sameRole]);
    expect(twinClaims['cognito:preferred_role']).toBe(sameRole);

    // No precedence is the lowest priority: two such groups with different roles tie, a numbered one wins.
    for (const GroupName of ['loose-a', 'loose-b']) {
      await createGroup(t, { UserPoolId: poolId, GroupName, RoleArn: `${ROLE_MANAGE}-${GroupName}` });
    }
    const loose = await createConfirmedUser(t, { UserPoolId: poolId, Username: 'loose' }, PASSWORD);
    for (const GroupName of ['loose-a', 'loose-b']) {
      await addUserToGroup(t, { UserPoolId: poolId, Username: loose, GroupName });
    }
    expect(claimsOf((await signIn(loose)).id)).not.toHaveProperty('cognito:preferred_role');
    await addUserToGroup(t, { UserPoolId: poolId, Username: loose, GroupName: 'same-a' });
    expect(claimsOf((await signIn(loose)).id)['cognito:preferred_role']).toBe(sameRole);
  });

  it("take their times from the service's clock", async () => {
    const username = await createConfirmedUser(
      t,
      { UserPoolId: poolId, Username: 'time-traveller' },
      PASSWORD,
    );
    t.clock.advance(24 * 60 * 60 * 1000);
    try {
      const access = claimsOf((await signIn(username)).access);
      const expected = Math.floor((Date.now() + t.clock.offset) / 1000);
      expect(Math.abs((access.iat as number) - expected)).toBeLessThanOrEqual(1);
      expect(access.exp).toBe((access.iat as number) + 3600);
    } finally {
      t.clock.offset = 0;
    }
  });
});

describe('signing key', () => {
  it('is created once per data directory: a second service on it publishes the same key', async () => {
    const dataDir = makeTempDir();
    const first = await startTestService(dataDir);
    const second = await startTestService(dataDir);
    try {
      const pool = await createPool(first, { PoolName: 'shared' });
      const [a, b] = await Promise.all(
        [first, second].map(async (service) => {
          const response = await fetch(`${service.service.url}/${pool}/.well-known/jwks.json`);
          return (await response.json()) as { keys: { kid: string; n: string }[] };
        }),
      );
      expect(a?.keys).toHaveLength(1);
      expect(b).toEqual(a);
      await first.close();
      const restarted = await startTestService(dataDir);
      try {
        const response = await fetch(`${restarted.service.url}/${pool}/.well-known/jwks.json`);
        expect(await response.json()).toEqual(a);
      } finally {
        await restarted.close();
      }
    } finally {
      await second.close();
      await first.close().catch(() => {});
    }
  });
});
