// Conformance: the login tokens Cognito Identity refuses (tampered, expired, revoked, of a disabled or
// deleted user, of another app client or user pool) are refused by GetId and GetCredentialsForIdentity.
import {
  type CognitoIdentityClient,
  GetIdCommand,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity';
import {
  AdminDisableUserCommand,
  AdminUserGlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, deleteUser, expectFailure } from '../auth-test-fixture';
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

describe('login tokens Cognito would refuse are refused', () => {
  async function expectRefused(token: string, message: string | RegExp, p = pools) {
    // One call at a time: a second call made up front could be refused before anyone awaits it.
    for (const call of [
      () => identity.send(new GetIdCommand({ IdentityPoolId: p.identityPoolId, Logins: loginsOf(p, token) })),
      () => calls.credentialsFor(p, token),
    ]) {
      const error = await call().then(
        () => new Error('expected a refusal'),
        (caught: unknown) => caught as Error,
      );
      expect(error).toBeInstanceOf(NotAuthorizedException);
      if (typeof message === 'string') expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
    }
  }

  it('a token with one byte changed, in its signature or in its claims', async () => {
    await createMember(t, pools, 'tamper@example.com', ['Manage-only']);
    const token = await idTokenOf(t, pools, 'tamper@example.com');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    await expectRefused(
      `${header}.${payload}.${flip(signature, 100)}`,
      "Invalid login token. Couldn't verify signed token.",
    );
    // A forged promotion: the claims say Full-access, the signature is the real one.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = Buffer.from(
      JSON.stringify({
        ...claims,
        'cognito:preferred_role': pools.fullRole,
        'cognito:roles': [pools.fullRole],
      }),
    ).toString('base64url');
    await expectRefused(
      `${header}.${forged}.${signature}`,
      "Invalid login token. Couldn't verify signed token.",
    );
    // The untouched token is accepted: the refusals above are the tampering's.
    expect(calls.roleOf((await calls.credentialsFor(pools, token)).Credentials?.AccessKeyId)).toBe(
      pools.manageRole,
    );
  });

  it('an expired token', async () => {
    await createMember(t, pools, 'late@example.com', ['Manage-only']);
    const token = await idTokenOf(t, pools, 'late@example.com');
    t.clock.advance(2 * 60 * 60_000);
    try {
      await expectRefused(token, /^Invalid login token\. Token expired: \d+ >= \d+$/);
    } finally {
      t.clock.advance(-2 * 60 * 60_000);
    }
  });

  it('the token of a user signed out everywhere, of a disabled user and of a deleted user', async () => {
    await createMember(t, pools, 'gone@example.com', ['Manage-only']);
    const signedOut = await idTokenOf(t, pools, 'gone@example.com');
    await t.client.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: pools.userPoolId, Username: 'gone@example.com' }),
    );
    await expectRefused(signedOut, 'Invalid login token. The token has been revoked.');

    const beforeDisabling = await idTokenOf(t, pools, 'gone@example.com');
    await t.client.send(
      new AdminDisableUserCommand({ UserPoolId: pools.userPoolId, Username: 'gone@example.com' }),
    );
    await expectRefused(beforeDisabling, 'Invalid login token. The user is disabled.');

    await deleteUser(t, pools.userPoolId, 'gone@example.com');
    await expectRefused(beforeDisabling, 'Invalid login token. The user does not exist.');
  });

  it("accepts a signed-out user's token when the provider has ServerSideTokenCheck off, as Cognito does", async () => {
    const unchecked = await createStudioPools(t, identity, { serverSideTokenCheck: false });
    await createMember(t, unchecked, 'unchecked@example.com', ['Full-access']);
    const token = await idTokenOf(t, unchecked, 'unchecked@example.com');
    await t.client.send(
      new AdminUserGlobalSignOutCommand({
        UserPoolId: unchecked.userPoolId,
        Username: 'unchecked@example.com',
      }),
    );
    expect(calls.roleOf((await calls.credentialsFor(unchecked, token)).Credentials?.AccessKeyId)).toBe(
      unchecked.fullRole,
    );
  });

  it('a token issued to an app client the identity pool does not list, or by another user pool', async () => {
    const { clientId: otherClient } = await createClient(t, {
      UserPoolId: pools.userPoolId,
      ClientName: 'other-app',
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    await createMember(t, pools, 'elsewhere@example.com', ['Full-access']);
    const token = await idTokenOf(t, { ...pools, clientId: otherClient }, 'elsewhere@example.com');
    await expectRefused(token, 'Token is not from a supported provider of this identity pool.');

    const foreign = await createStudioPools(t, identity);
    await createMember(t, foreign, 'foreign@example.com', ['Full-access']);
    const foreignToken = await idTokenOf(t, foreign, 'foreign@example.com');
    await expectRefused(foreignToken, "Invalid login token. Issuer doesn't match providerName");
  });

  it('a login under a provider the identity pool does not have', async () => {
    await createMember(t, pools, 'unlisted@example.com', ['Full-access']);
    const token = await idTokenOf(t, pools, 'unlisted@example.com');
    await expectFailure(
      identity.send(
        new GetIdCommand({
          IdentityPoolId: pools.identityPoolId,
          Logins: { 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Unknown12': token },
        }),
      ),
      NotAuthorizedException,
      'Token is not from a supported provider of this identity pool.',
    );
  });
});
