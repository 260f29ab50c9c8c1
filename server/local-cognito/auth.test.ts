// Conformance: password sign-in, NEW_PASSWORD_REQUIRED, sessions, refresh, GetUser, sign-out and
// revocation, SECRET_HASH — driven over HTTP with the unmodified AWS SDK v3.
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  AdminUserGlobalSignOutCommand,
  type ExplicitAuthFlowsType,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  InvalidParameterException,
  InvalidPasswordException,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  UnauthorizedException,
  UnsupportedOperationException,
  UnsupportedTokenTypeException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { secretHash } from './auth-client';
import {
  claimsOf,
  createClient,
  createConfirmedUser,
  createPool,
  createUser,
  deleteUser,
  expectFailure,
  setUserEnabled,
  userStatus,
} from './auth-test-fixture';
import { startTestService, type TestService } from './test-support';

const PASSWORD = 'Corr3ct-Horse!';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ALL_FLOWS: ExplicitAuthFlowsType[] = [
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];

let t: TestService;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTestService();
  poolId = await createPool(t, { PoolName: 'auth-suite' });
  ({ clientId } = await createClient(t, {
    UserPoolId: poolId,
    ClientName: 'web',
    ExplicitAuthFlows: ALL_FLOWS,
  }));
});

afterAll(async () => {
  await t.close();
});

afterEach(() => {
  t.clock.offset = 0;
});

let counter = 0;
/** A fresh CONFIRMED user in the suite's pool, so tests do not share state. */
async function newUser(prefix = 'user'): Promise<string> {
  counter += 1;
  return createConfirmedUser(
    t,
    {
      UserPoolId: poolId,
      Username: `${prefix}-${counter}`,
      UserAttributes: [
        { Name: 'email', Value: `${prefix}-${counter}@example.com` },
        { Name: 'email_verified', Value: 'true' },
      ],
    },
    PASSWORD,
  );
}

function signIn(
  username: string,
  password = PASSWORD,
  client = clientId,
): Promise<InitiateAuthCommandOutput> {
  return t.client.send(
    new InitiateAuthCommand({
      ClientId: client,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

function adminSignIn(
  username: string,
  flow: 'ADMIN_USER_PASSWORD_AUTH' | 'ADMIN_NO_SRP_AUTH',
  password = PASSWORD,
) {
  return t.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: flow,
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

function refresh(
  refreshToken: string | undefined,
  flow: 'REFRESH_TOKEN_AUTH' | 'REFRESH_TOKEN' = 'REFRESH_TOKEN_AUTH',
) {
  return t.client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: flow,
      AuthParameters: { REFRESH_TOKEN: refreshToken ?? '' },
    }),
  );
}

const getUser = (accessToken: string | undefined) =>
  t.client.send(new GetUserCommand({ AccessToken: accessToken }));

describe('password sign-in', () => {
  it('USER_PASSWORD_AUTH returns Cognito-shaped tokens that GetUser accepts', async () => {
    const username = await newUser();
    const out = await signIn(username);
    expect(out.ChallengeName).toBeUndefined();
    expect(out.ChallengeParameters).toEqual({});
    const result = out.AuthenticationResult;
    expect(result?.TokenType).toBe('Bearer');
    expect(result?.ExpiresIn).toBe(3600);
    expect(result?.RefreshToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(claimsOf(result?.IdToken)['cognito:username']).toBe(username);
    expect(claimsOf(result?.AccessToken).username).toBe(username);

    const user = await getUser(result?.AccessToken);
    expect(user.Username).toBe(username);
    expect(user.UserAttributes).toEqual([
      { Name: 'sub', Value: claimsOf(result?.AccessToken).sub },
      { Name: 'email', Value: `${username}@example.com` },
      { Name: 'email_verified', Value: 'true' },
    ]);
  });

  it('matches usernames case-insensitively only in case-insensitive pools', async () => {
    const username = await newUser('MixedCase');
    // The suite's pool was created without UsernameConfiguration: case-sensitive, the API's default.
    await expectFailure(signIn(username.toUpperCase()), UserNotFoundException, 'User does not exist.');
    const relaxed = await createPool(t, {
      PoolName: 'relaxed',
      UsernameConfiguration: { CaseSensitive: false },
    });
    const { clientId: relaxedClient } = await createClient(t, {
      UserPoolId: relaxed,
      ClientName: 'web',
      ExplicitAuthFlows: ALL_FLOWS,
    });
    const name = await createConfirmedUser(t, { UserPoolId: relaxed, Username: 'MixedCase' }, PASSWORD);
    const out = await signIn('mIXEDcASE', PASSWORD, relaxedClient);
    expect(claimsOf(out.AuthenticationResult?.AccessToken).username).toBe(name);
  });

  it('AdminInitiateAuth signs in with ADMIN_USER_PASSWORD_AUTH and ADMIN_NO_SRP_AUTH', async () => {
    const username = await newUser();
    for (const flow of ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] as const) {
      const out = await adminSignIn(username, flow);
      expect(out.ChallengeParameters).toEqual({});
      expect(claimsOf(out.AuthenticationResult?.IdToken).aud).toBe(clientId);
    }
  });

  it('accepts the email as username in an email-username pool', async () => {
    const emailPool = await createPool(t, { PoolName: 'email-pool', UsernameAttributes: ['email'] });
    const { clientId: emailClient } = await createClient(t, {
      UserPoolId: emailPool,
      ClientName: 'web',
      ExplicitAuthFlows: ALL_FLOWS,
    });
    const username = await createConfirmedUser(
      t,
      { UserPoolId: emailPool, Username: 'ada@example.com', UserAttributes: [] },
      PASSWORD,
    );
    // Cognito makes the username of an email-username pool a UUID (the sub).
    expect(username).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const out = await signIn('Ada@Example.com', PASSWORD, emailClient);
    const id = claimsOf(out.AuthenticationResult?.IdToken);
    expect(id['cognito:username']).toBe(username);
    expect(id.sub).toBe(username);
    expect(id.email).toBe('ada@example.com');
    const admin = await t.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: emailPool,
        ClientId: emailClient,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'ADA@example.com', PASSWORD },
      }),
    );
    expect(claimsOf(admin.AuthenticationResult?.AccessToken).username).toBe(username);
  });

  it('refuses a wrong password', async () => {
    const username = await newUser();
    await expectFailure(
      signIn(username, 'Wr0ng-password!'),
      NotAuthorizedException,
      'Incorrect username or password.',
    );
    await expectFailure(
      adminSignIn(username, 'ADMIN_USER_PASSWORD_AUTH', 'Wr0ng-password!'),
      NotAuthorizedException,
      'Incorrect username or password.',
    );
  });

  it('reports an unknown user, unless the client prevents user-existence errors', async () => {
    await expectFailure(signIn('nobody-here'), UserNotFoundException, 'User does not exist.');
    await expectFailure(
      adminSignIn('nobody-here', 'ADMIN_NO_SRP_AUTH'),
      UserNotFoundException,
      'User does not exist.',
    );
    const { clientId: hiding } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'hiding',
      ExplicitAuthFlows: ALL_FLOWS,
      PreventUserExistenceErrors: 'ENABLED',
    });
    await expectFailure(
      signIn('nobody-here', PASSWORD, hiding),
      NotAuthorizedException,
      'Incorrect username or password.',
    );
  });

  it('refuses flows the client does not enable, with Cognito messages', async () => {
    const username = await newUser();
    const { clientId: narrow } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'custom-only',
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    await expectFailure(
      signIn(username, PASSWORD, narrow),
      InvalidParameterException,
      'USER_PASSWORD_AUTH flow not enabled for this client',
    );
    await expectFailure(
      t.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: narrow,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      ),
      InvalidParameterException,
      'Auth flow not enabled for this client',
    );
    const { clientId: noRefresh } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'no-refresh',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    });
    const out = await signIn(username, PASSWORD, noRefresh);
    await expectFailure(
      t.client.send(
        new InitiateAuthCommand({
          ClientId: noRefresh,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: out.AuthenticationResult?.RefreshToken ?? '' },
        }),
      ),
      InvalidParameterException,
      'Auth flow not enabled for this client',
    );
    // Admin flows belong to AdminInitiateAuth, and the user flow to InitiateAuth.
    await expectFailure(
      t.client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      ),
      InvalidParameterException,
      'Initiate Auth method not supported.',
    );
    await expectFailure(
      t.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD },
        }),
      ),
      InvalidParameterException,
      'Initiate Auth method not supported.',
    );
  });

  it('requires USERNAME and PASSWORD', async () => {
    await expectFailure(
      t.client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'x' },
        }),
      ),
      InvalidParameterException,
      'Missing required parameter PASSWORD',
    );
  });
});

describe('disabled users', () => {
  it('are refused by every flow, and their access tokens stop working', async () => {
    const username = await newUser();
    const before = await signIn(username);
    await setUserEnabled(t, poolId, username, false);

    await expectFailure(signIn(username), NotAuthorizedException, 'User is disabled.');
    await expectFailure(
      adminSignIn(username, 'ADMIN_USER_PASSWORD_AUTH'),
      NotAuthorizedException,
      'User is disabled.',
    );
    await expectFailure(
      adminSignIn(username, 'ADMIN_NO_SRP_AUTH'),
      NotAuthorizedException,
      'User is disabled.',
    );
    await expectFailure(
      refresh(before.AuthenticationResult?.RefreshToken),
      NotAuthorizedException,
      'User is disabled.',
    );
    await expectFailure(
      refresh(before.AuthenticationResult?.RefreshToken, 'REFRESH_TOKEN'),
      NotAuthorizedException,
      'User is disabled.',
    );
    await expectFailure(
      getUser(before.AuthenticationResult?.AccessToken),
      NotAuthorizedException,
      'User is disabled.',
    );
    // CUSTOM_AUTH refuses them before any trigger runs (custom-auth.test.ts covers it with triggers).
    const customPool = await createPool(t, {
      PoolName: 'custom-disabled',
      LambdaConfig: {
        DefineAuthChallenge: 'arn:aws:lambda:us-east-1:000000000000:function:define-never-called',
      },
    });
    const { clientId: customClient } = await createClient(t, {
      UserPoolId: customPool,
      ClientName: 'web',
      ExplicitAuthFlows: ALL_FLOWS,
    });
    const customUser = await createConfirmedUser(t, { UserPoolId: customPool, Username: 'off' }, PASSWORD);
    await setUserEnabled(t, customPool, customUser, false);
    await expectFailure(
      t.client.send(
        new InitiateAuthCommand({
          ClientId: customClient,
          AuthFlow: 'CUSTOM_AUTH',
          AuthParameters: { USERNAME: 'off' },
        }),
      ),
      NotAuthorizedException,
      'User is disabled.',
    );

    // AdminDisableUser also revoked the tokens issued before it: re-enabling does not revive them.
    await setUserEnabled(t, poolId, username, true);
    await expectFailure(
      refresh(before.AuthenticationResult?.RefreshToken),
      NotAuthorizedException,
      'Refresh Token has been revoked',
    );
    await expectFailure(
      getUser(before.AuthenticationResult?.AccessToken),
      NotAuthorizedException,
      'Access Token has been revoked',
    );
    const again = await signIn(username);
    expect((await getUser(again.AuthenticationResult?.AccessToken)).Username).toBe(username);
    expect(
      (await refresh(again.AuthenticationResult?.RefreshToken)).AuthenticationResult?.AccessToken,
    ).toBeTruthy();
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  async function invitedUser(): Promise<{ username: string; temporary: string }> {
    counter += 1;
    const temporary = `Temp-${counter}-Passw0rd!`;
    const username = await createUser(t, {
      UserPoolId: poolId,
      Username: `invited-${counter}`,
      TemporaryPassword: temporary,
      UserAttributes: [
        { Name: 'email', Value: `invited-${counter}@example.com` },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    return { username, temporary };
  }

  function answer(session: string | undefined, username: string, newPassword: string) {
    return t.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: newPassword },
      }),
    );
  }

  it('challenges a temporary password, enforces the policy, then confirms the user and signs in', async () => {
    const { username, temporary } = await invitedUser();
    const challenge = await signIn(username, temporary);
    expect(challenge.AuthenticationResult).toBeUndefined();
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(challenge.Session).toMatch(/^[A-Za-z0-9_-]{100,}$/);
    expect(challenge.ChallengeParameters).toEqual({
      USER_ID_FOR_SRP: username,
      requiredAttributes: '[]',
      userAttributes: JSON.stringify({ email: `${username}@example.com`, email_verified: 'true' }),
    });

    await expectFailure(
      answer(challenge.Session, username, 'short'),
      InvalidPasswordException,
      'Password did not conform with policy: Password not long enough',
    );
    await expectFailure(
      answer(challenge.Session, username, 'nouppercase1!'),
      InvalidPasswordException,
      'Password did not conform with policy: Password must have uppercase characters',
    );
    // A refused password leaves the session usable.
    const done = await answer(challenge.Session, username, 'N3w-Passw0rd!');
    expect(done.ChallengeParameters).toEqual({});
    expect(claimsOf(done.AuthenticationResult?.IdToken)['cognito:username']).toBe(username);
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
    expect(await userStatus(t, poolId, username)).toBe('CONFIRMED');

    await signIn(username, 'N3w-Passw0rd!');
    await expectFailure(
      signIn(username, temporary),
      NotAuthorizedException,
      'Incorrect username or password.',
    );
    // The session was spent by the successful answer.
    await expectFailure(
      answer(challenge.Session, username, 'An0ther-Passw0rd!'),
      NotAuthorizedException,
      'Invalid session for the user, session can only be used once.',
    );
  });

  it('AdminRespondToAuthChallenge completes it too', async () => {
    const { username, temporary } = await invitedUser();
    const challenge = await adminSignIn(username, 'ADMIN_USER_PASSWORD_AUTH', temporary);
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const done = await t.client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'Adm1n-Chosen!' },
      }),
    );
    expect(claimsOf(done.AuthenticationResult?.AccessToken).username).toBe(username);
  });

  it('refuses an unknown session', async () => {
    const { username } = await invitedUser();
    await expectFailure(
      answer('not-a-session', username, 'N3w-Passw0rd!'),
      NotAuthorizedException,
      'Invalid session for the user.',
    );
  });

  it('expires the session after 3 minutes by default', async () => {
    const { username, temporary } = await invitedUser();
    const challenge = await signIn(username, temporary);
    t.clock.advance(3 * MINUTE + 1000);
    await expectFailure(
      answer(challenge.Session, username, 'N3w-Passw0rd!'),
      NotAuthorizedException,
      'Invalid session for the user, session is expired.',
    );
  });

  it("follows the client's AuthSessionValidity", async () => {
    const { clientId: slow } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'slow',
      ExplicitAuthFlows: ALL_FLOWS,
      AuthSessionValidity: 10,
    });
    const { username, temporary } = await invitedUser();
    const challenge = await signIn(username, temporary, slow);
    t.clock.advance(9 * MINUTE);
    const done = await t.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: slow,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'N3w-Passw0rd!' },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('lets exactly one of two concurrent answers with one session through', async () => {
    const { username, temporary } = await invitedUser();
    const challenge = await signIn(username, temporary);
    const results = await Promise.allSettled([
      answer(challenge.Session, username, 'F1rst-Passw0rd!'),
      answer(challenge.Session, username, 'Sec0nd-Passw0rd!'),
    ]);
    const ok = results.filter((result) => result.status === 'fulfilled');
    const failed = results.filter((result) => result.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    const reason = (failed[0] as PromiseRejectedResult).reason as Error;
    expect(reason).toBeInstanceOf(NotAuthorizedException);
    expect(reason.message).toBe('Invalid session for the user, session can only be used once.');
  });

  it('lets exactly one of two sessions opened with one temporary password set a password', async () => {
    const { username, temporary } = await invitedUser();
    const [first, second] = await Promise.all([signIn(username, temporary), signIn(username, temporary)]);
    const results = await Promise.allSettled([
      answer(first.Session, username, 'F1rst-Passw0rd!'),
      answer(second.Session, username, 'Sec0nd-Passw0rd!'),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(NotAuthorizedException);
    const winner = results[0]!.status === 'fulfilled' ? 'F1rst-Passw0rd!' : 'Sec0nd-Passw0rd!';
    const loser = winner === 'F1rst-Passw0rd!' ? 'Sec0nd-Passw0rd!' : 'F1rst-Passw0rd!';
    expect((await signIn(username, winner)).AuthenticationResult?.AccessToken).toBeTruthy();
    await expectFailure(signIn(username, loser), NotAuthorizedException, 'Incorrect username or password.');
  });

  it('refuses a temporary password past TemporaryPasswordValidityDays', async () => {
    const { username, temporary } = await invitedUser();
    t.clock.advance(7 * DAY + 1000);
    await expectFailure(
      signIn(username, temporary),
      NotAuthorizedException,
      'Temporary password has expired and must be reset by an administrator.',
    );
    await expectFailure(
      adminSignIn(username, 'ADMIN_USER_PASSWORD_AUTH', temporary),
      NotAuthorizedException,
      'Temporary password has expired and must be reset by an administrator.',
    );
  });

  it('refuses a disabled invited user', async () => {
    const { username, temporary } = await invitedUser();
    const challenge = await signIn(username, temporary);
    await setUserEnabled(t, poolId, username, false);
    await expectFailure(
      answer(challenge.Session, username, 'N3w-Passw0rd!'),
      NotAuthorizedException,
      'User is disabled.',
    );
    await expectFailure(signIn(username, temporary), NotAuthorizedException, 'User is disabled.');
  });
});

describe('refresh', () => {
  it('REFRESH_TOKEN_AUTH and REFRESH_TOKEN return new access and ID tokens of the same family', async () => {
    // iat counts whole seconds: with real time running, the sign-in and the refresh could fall either
    // side of a second's edge. Pinned, only the advance below moves it.
    t.clock.frozenAt = Date.now();
    onTestFinished(() => {
      t.clock.frozenAt = undefined;
    });
    const username = await newUser();
    const first = await signIn(username);
    const original = claimsOf(first.AuthenticationResult?.AccessToken);
    t.clock.advance(10 * MINUTE);
    for (const flow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'] as const) {
      const out = await refresh(first.AuthenticationResult?.RefreshToken, flow);
      expect(out.AuthenticationResult?.RefreshToken).toBeUndefined();
      expect(out.AuthenticationResult?.ExpiresIn).toBe(3600);
      const access = claimsOf(out.AuthenticationResult?.AccessToken);
      const id = claimsOf(out.AuthenticationResult?.IdToken);
      expect(access.origin_jti).toBe(original.origin_jti);
      expect(id.origin_jti).toBe(original.origin_jti);
      expect(access.jti).not.toBe(original.jti);
      expect(access.auth_time).toBe(original.auth_time);
      expect(access.iat).toBe((original.iat as number) + 600);
      expect((await getUser(out.AuthenticationResult?.AccessToken)).Username).toBe(username);
    }
    const admin = await t.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: first.AuthenticationResult?.RefreshToken ?? '' },
      }),
    );
    expect(claimsOf(admin.AuthenticationResult?.IdToken).origin_jti).toBe(original.origin_jti);
  });

  it('refuses unknown, foreign and expired refresh tokens', async () => {
    const username = await newUser();
    const first = await signIn(username);
    await expectFailure(refresh('garbage'), NotAuthorizedException, 'Invalid Refresh Token');
    const { clientId: other } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'other',
      ExplicitAuthFlows: ALL_FLOWS,
    });
    await expectFailure(
      t.client.send(
        new InitiateAuthCommand({
          ClientId: other,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: first.AuthenticationResult?.RefreshToken ?? '' },
        }),
      ),
      NotAuthorizedException,
      'Invalid Refresh Token',
    );
    t.clock.advance(30 * DAY + 1000);
    await expectFailure(
      refresh(first.AuthenticationResult?.RefreshToken),
      NotAuthorizedException,
      'Refresh Token has expired',
    );
  });

  it('follows the client token validity and units', async () => {
    const { clientId: short } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'short',
      ExplicitAuthFlows: ALL_FLOWS,
      AccessTokenValidity: 5,
      IdTokenValidity: 10,
      RefreshTokenValidity: 2,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'hours' },
    });
    const username = await newUser();
    const out = await signIn(username, PASSWORD, short);
    expect(out.AuthenticationResult?.ExpiresIn).toBe(300);
    const access = claimsOf(out.AuthenticationResult?.AccessToken);
    const id = claimsOf(out.AuthenticationResult?.IdToken);
    expect((access.exp as number) - (access.iat as number)).toBe(300);
    expect((id.exp as number) - (id.iat as number)).toBe(600);
    t.clock.advance(5 * MINUTE + 1000);
    await expectFailure(
      getUser(out.AuthenticationResult?.AccessToken),
      NotAuthorizedException,
      'Access Token has expired',
    );
    t.clock.advance(2 * 60 * MINUTE);
    await expectFailure(
      t.client.send(
        new InitiateAuthCommand({
          ClientId: short,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: out.AuthenticationResult?.RefreshToken ?? '' },
        }),
      ),
      NotAuthorizedException,
      'Refresh Token has expired',
    );
  });
});

describe('GetUser', () => {
  it('refuses expired, malformed, forged and ID tokens', async () => {
    const username = await newUser();
    const out = await signIn(username);
    const access = out.AuthenticationResult?.AccessToken ?? '';
    await expectFailure(getUser('not-a-token'), NotAuthorizedException, 'Invalid Access Token');
    await expectFailure(
      getUser(out.AuthenticationResult?.IdToken),
      NotAuthorizedException,
      'Invalid Access Token',
    );
    const [header, payload, signature] = access.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claimsOf(access), username: 'someone-else' })).toString(
      'base64url',
    );
    expect(forged).not.toBe(payload);
    await expectFailure(
      getUser(`${header}.${forged}.${signature}`),
      NotAuthorizedException,
      'Invalid Access Token',
    );
    t.clock.advance(60 * MINUTE + 1000);
    await expectFailure(getUser(access), NotAuthorizedException, 'Access Token has expired');
  });

  it('refuses the tokens of a deleted user, even when the name is reused', async () => {
    const username = await newUser();
    const out = await signIn(username);
    await deleteUser(t, poolId, username);
    await expectFailure(
      getUser(out.AuthenticationResult?.AccessToken),
      UserNotFoundException,
      'User does not exist.',
    );
    await expectFailure(
      refresh(out.AuthenticationResult?.RefreshToken),
      NotAuthorizedException,
      'Invalid Refresh Token',
    );
    await createConfirmedUser(t, { UserPoolId: poolId, Username: username }, PASSWORD);
    await expectFailure(
      getUser(out.AuthenticationResult?.AccessToken),
      NotAuthorizedException,
      'Access Token has been revoked',
    );
    await expectFailure(
      refresh(out.AuthenticationResult?.RefreshToken),
      NotAuthorizedException,
      'Invalid Refresh Token',
    );
  });
});

describe('sign-out and revocation', () => {
  it('GlobalSignOut revokes every session of the user', async () => {
    const username = await newUser();
    const a = await signIn(username);
    const b = await signIn(username);
    await t.client.send(new GlobalSignOutCommand({ AccessToken: a.AuthenticationResult?.AccessToken }));
    for (const out of [a, b]) {
      await expectFailure(
        getUser(out.AuthenticationResult?.AccessToken),
        NotAuthorizedException,
        'Access Token has been revoked',
      );
      await expectFailure(
        refresh(out.AuthenticationResult?.RefreshToken),
        NotAuthorizedException,
        'Refresh Token has been revoked',
      );
    }
    // Signing in again right away works.
    const c = await signIn(username);
    expect((await getUser(c.AuthenticationResult?.AccessToken)).Username).toBe(username);
    expect(
      (await refresh(c.AuthenticationResult?.RefreshToken)).AuthenticationResult?.AccessToken,
    ).toBeTruthy();
  });

  it('AdminUserGlobalSignOut revokes every session of the user and no one else', async () => {
    const username = await newUser();
    const bystander = await newUser();
    const a = await signIn(username);
    const refreshed = await refresh(a.AuthenticationResult?.RefreshToken);
    const other = await signIn(bystander);
    await t.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: username }));
    for (const token of [a.AuthenticationResult?.AccessToken, refreshed.AuthenticationResult?.AccessToken]) {
      await expectFailure(getUser(token), NotAuthorizedException, 'Access Token has been revoked');
    }
    await expectFailure(
      refresh(a.AuthenticationResult?.RefreshToken),
      NotAuthorizedException,
      'Refresh Token has been revoked',
    );
    expect((await getUser(other.AuthenticationResult?.AccessToken)).Username).toBe(bystander);
    await expectFailure(
      t.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: 'nobody-here' })),
      UserNotFoundException,
      'User does not exist.',
    );
  });

  it('RevokeToken revokes one family only', async () => {
    const username = await newUser();
    const a = await signIn(username);
    const b = await signIn(username);
    const aRefreshed = await refresh(a.AuthenticationResult?.RefreshToken);
    await t.client.send(
      new RevokeTokenCommand({ ClientId: clientId, Token: a.AuthenticationResult?.RefreshToken }),
    );
    for (const token of [a.AuthenticationResult?.AccessToken, aRefreshed.AuthenticationResult?.AccessToken]) {
      await expectFailure(getUser(token), NotAuthorizedException, 'Access Token has been revoked');
    }
    await expectFailure(
      refresh(a.AuthenticationResult?.RefreshToken),
      NotAuthorizedException,
      'Refresh Token has been revoked',
    );
    expect((await getUser(b.AuthenticationResult?.AccessToken)).Username).toBe(username);
    expect(
      (await refresh(b.AuthenticationResult?.RefreshToken)).AuthenticationResult?.AccessToken,
    ).toBeTruthy();
  });

  it('RevokeToken needs token revocation enabled on the client and the right client secret', async () => {
    const username = await newUser();
    const { clientId: noRevocation } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'no-revocation',
      ExplicitAuthFlows: ALL_FLOWS,
      EnableTokenRevocation: false,
    });
    const a = await signIn(username, PASSWORD, noRevocation);
    await expectFailure(
      t.client.send(
        new RevokeTokenCommand({ ClientId: noRevocation, Token: a.AuthenticationResult?.RefreshToken }),
      ),
      UnsupportedOperationException,
      'Token revocation is not enabled for this client.',
    );
    const { clientId: confidential, clientSecret } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'revoking-confidential',
      GenerateSecret: true,
      ExplicitAuthFlows: ALL_FLOWS,
    });
    const b = await t.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: confidential,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: username,
          PASSWORD,
          SECRET_HASH: secretHash(clientSecret ?? '', username, confidential),
        },
      }),
    );
    for (const ClientSecret of [undefined, 'not-the-secret']) {
      await expectFailure(
        t.client.send(
          new RevokeTokenCommand({
            ClientId: confidential,
            ClientSecret,
            Token: b.AuthenticationResult?.RefreshToken,
          }),
        ),
        UnauthorizedException,
        'Client authentication failed.',
      );
    }
    // A refresh token can only be revoked through the client it was issued to.
    await expectFailure(
      t.client.send(
        new RevokeTokenCommand({ ClientId: clientId, Token: b.AuthenticationResult?.RefreshToken }),
      ),
      UnauthorizedException,
      'Token was not issued to this client.',
    );
    expect((await getUser(b.AuthenticationResult?.AccessToken)).Username).toBe(username);
  });

  it('RevokeToken refuses access and ID tokens', async () => {
    const username = await newUser();
    const a = await signIn(username);
    for (const token of [a.AuthenticationResult?.AccessToken, a.AuthenticationResult?.IdToken]) {
      await expectFailure(
        t.client.send(new RevokeTokenCommand({ ClientId: clientId, Token: token })),
        UnsupportedTokenTypeException,
        'Unsupported token type, only refresh tokens can be revoked.',
      );
    }
    expect((await getUser(a.AuthenticationResult?.AccessToken)).Username).toBe(username);
  });
});

describe('SECRET_HASH', () => {
  it('is required by a client with a secret, for sign-in, challenges and refresh', async () => {
    const { clientId: confidential, clientSecret } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'confidential',
      GenerateSecret: true,
      ExplicitAuthFlows: ALL_FLOWS,
    });
    const secret = clientSecret ?? '';
    const username = await newUser();
    const params = { USERNAME: username, PASSWORD };
    const initiate = (extra: Record<string, string>) =>
      t.client.send(
        new InitiateAuthCommand({
          ClientId: confidential,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { ...params, ...extra },
        }),
      );
    await expectFailure(
      initiate({}),
      NotAuthorizedException,
      `Client ${confidential} is configured for secret but secret was not received`,
    );
    await expectFailure(
      initiate({ SECRET_HASH: secretHash(secret, 'someone-else', confidential) }),
      NotAuthorizedException,
      `Unable to verify secret hash for client ${confidential}`,
    );
    const out = await initiate({ SECRET_HASH: secretHash(secret, username, confidential) });
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();

    await expectFailure(
      t.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: confidential,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: params,
        }),
      ),
      NotAuthorizedException,
      `Client ${confidential} is configured for secret but secret was not received`,
    );

    const refreshWith = (extra: Record<string, string>) =>
      t.client.send(
        new InitiateAuthCommand({
          ClientId: confidential,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: out.AuthenticationResult?.RefreshToken ?? '', ...extra },
        }),
      );
    await expectFailure(
      refreshWith({}),
      NotAuthorizedException,
      `Client ${confidential} is configured for secret but secret was not received`,
    );
    const refreshed = await refreshWith({ SECRET_HASH: secretHash(secret, username, confidential) });
    expect(refreshed.AuthenticationResult?.AccessToken).toBeTruthy();

    // RevokeToken authenticates the client with its secret.
    await t.client.send(
      new RevokeTokenCommand({
        ClientId: confidential,
        ClientSecret: secret,
        Token: out.AuthenticationResult?.RefreshToken,
      }),
    );
    await expectFailure(
      refreshWith({ SECRET_HASH: secretHash(secret, username, confidential) }),
      NotAuthorizedException,
      'Refresh Token has been revoked',
    );
  });

  it('is required when answering NEW_PASSWORD_REQUIRED', async () => {
    const { clientId: confidential, clientSecret } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'confidential-invite',
      GenerateSecret: true,
      ExplicitAuthFlows: ALL_FLOWS,
    });
    const secret = clientSecret ?? '';
    const username = await createUser(t, {
      UserPoolId: poolId,
      Username: 'secret-invitee',
      TemporaryPassword: 'Temp-Passw0rd!',
    });
    const challenge = await t.client.send(
      new InitiateAuthCommand({
        ClientId: confidential,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: username,
          PASSWORD: 'Temp-Passw0rd!',
          SECRET_HASH: secretHash(secret, username, confidential),
        },
      }),
    );
    const respond = (extra: Record<string, string>) =>
      t.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: confidential,
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: challenge.Session,
          ChallengeResponses: { USERNAME: username, NEW_PASSWORD: 'N3w-Passw0rd!', ...extra },
        }),
      );
    await expectFailure(
      respond({}),
      NotAuthorizedException,
      `Client ${confidential} is configured for secret but secret was not received`,
    );
    const done = await respond({ SECRET_HASH: secretHash(secret, username, confidential) });
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});
