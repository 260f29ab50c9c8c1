// Conformance: CUSTOM_AUTH with the DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse
// triggers as in-process test handlers, over HTTP with the unmodified AWS SDK v3.
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  InvalidLambdaResponseException,
  InvalidParameterException,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  UserLambdaValidationException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CHALLENGE_ROUNDS } from './auth-custom';
import {
  claimsOf,
  createClient,
  createConfirmedUser,
  createPool,
  expectFailure,
  setUserEnabled,
  userSub,
} from './auth-test-fixture';
import type { LambdaHandler } from './context';
import { startTestService, type TestService } from './test-support';

const DEFINE = 'define-auth-challenge-test';
const CREATE = 'create-auth-challenge-test';
const VERIFY = 'verify-auth-challenge-test';
const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const CODE = 'secret-code-123';

let t: TestService;
let poolId: string;
let clientId: string;
let hidingClientId: string;
let username: string;
let sub: string;

// What each trigger received, copied on arrival (before the handler fills in its response).
let defines: DefineAuthChallengeTriggerEvent[];
let creates: CreateAuthChallengeTriggerEvent[];
let verifies: VerifyAuthChallengeResponseTriggerEvent[];

type Decide = (event: DefineAuthChallengeTriggerEvent) => DefineAuthChallengeTriggerEvent['response'];

/** A define trigger: challenge until an answer is right (then tokens), failing after `attempts` wrong ones. */
const allowAttempts =
  (attempts: number): Decide =>
  ({ request: { session } }) => {
    const last = session.at(-1);
    if (last?.challengeResult) return { issueTokens: true, failAuthentication: false };
    if (session.length >= attempts) return { issueTokens: false, failAuthentication: true };
    return { challengeName: 'CUSTOM_CHALLENGE', issueTokens: false, failAuthentication: false };
  };

function installTriggers(decide: Decide) {
  t.lambdas[DEFINE] = async (raw) => {
    const event = raw as DefineAuthChallengeTriggerEvent;
    defines.push(structuredClone(event));
    event.response = decide(event);
    return event;
  };
  t.lambdas[CREATE] = async (raw) => {
    const event = raw as CreateAuthChallengeTriggerEvent;
    creates.push(structuredClone(event));
    const round = event.request.session.length + 1;
    event.response = {
      publicChallengeParameters: { hint: 'check your email', round: String(round) },
      privateChallengeParameters: { code: CODE },
      challengeMetadata: `CODE-ROUND-${round}`,
    };
    return event;
  };
  t.lambdas[VERIFY] = async (raw) => {
    const event = raw as VerifyAuthChallengeResponseTriggerEvent;
    verifies.push(structuredClone(event));
    event.response = {
      answerCorrect: event.request.challengeAnswer === event.request.privateChallengeParameters.code,
    };
    return event;
  };
}

beforeAll(async () => {
  t = await startTestService();
  poolId = await createPool(t, {
    PoolName: 'custom-auth-suite',
    LambdaConfig: {
      DefineAuthChallenge: arn(DEFINE),
      CreateAuthChallenge: arn(CREATE),
      VerifyAuthChallengeResponse: arn(VERIFY),
    },
  });
  ({ clientId } = await createClient(t, {
    UserPoolId: poolId,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  ({ clientId: hidingClientId } = await createClient(t, {
    UserPoolId: poolId,
    ClientName: 'hiding',
    ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    PreventUserExistenceErrors: 'ENABLED',
  }));
  username = await createConfirmedUser(
    t,
    {
      UserPoolId: poolId,
      Username: 'ada',
      UserAttributes: [
        { Name: 'email', Value: 'ada@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    },
    'Corr3ct-Horse!',
  );
  sub = await userSub(t, poolId, username);
});

afterAll(async () => {
  await t.close();
});

beforeEach(() => {
  defines = [];
  creates = [];
  verifies = [];
  installTriggers(allowAttempts(3));
});

afterEach(async () => {
  t.clock.offset = 0;
  await setUserEnabled(t, poolId, username, true);
});

function start(name = username, clientMetadata?: Record<string, string>, client = clientId) {
  return t.client.send(
    new InitiateAuthCommand({
      ClientId: client,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: name },
      ClientMetadata: clientMetadata,
    }),
  );
}

function answer(
  session: string | undefined,
  value: string,
  clientMetadata?: Record<string, string>,
  name = username,
  client = clientId,
) {
  return t.client.send(
    new RespondToAuthChallengeCommand({
      ClientId: client,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: session,
      ChallengeResponses: { USERNAME: name, ANSWER: value },
      ClientMetadata: clientMetadata,
    }),
  );
}

describe('the three-trigger loop', () => {
  it('issues tokens after a wrong then a right answer, with Cognito event shapes', async () => {
    const userAttributes = {
      sub,
      email: 'ada@example.com',
      email_verified: 'true',
      'cognito:user_status': 'CONFIRMED',
    };
    const common = {
      version: '1',
      region: 'us-east-1',
      userPoolId: poolId,
      userName: username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    };

    const first = await start(username, { origin: 'initiate' });
    expect(first.AuthenticationResult).toBeUndefined();
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(first.ChallengeParameters).toEqual({ hint: 'check your email', round: '1', USERNAME: username });
    expect(first.Session).toBeTruthy();

    // InitiateAuth's ClientMetadata reaches neither define nor create.
    expect(defines).toHaveLength(1);
    expect(defines[0]).toStrictEqual({
      ...common,
      triggerSource: 'DefineAuthChallenge_Authentication',
      request: { userAttributes, session: [] },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
    expect(creates).toHaveLength(1);
    expect(creates[0]).toStrictEqual({
      ...common,
      triggerSource: 'CreateAuthChallenge_Authentication',
      request: { userAttributes, challengeName: 'CUSTOM_CHALLENGE', session: [] },
      response: {
        publicChallengeParameters: null,
        privateChallengeParameters: null,
        challengeMetadata: null,
      },
    });
    expect(verifies).toHaveLength(0);

    const second = await answer(first.Session, 'wrong', { origin: 'respond-1' });
    expect(second.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(second.ChallengeParameters).toEqual({ hint: 'check your email', round: '2', USERNAME: username });
    expect(second.Session).toBeTruthy();
    expect(second.Session).not.toBe(first.Session);

    // RespondToAuthChallenge's ClientMetadata reaches verify, define and create.
    expect(verifies).toHaveLength(1);
    expect(verifies[0]).toStrictEqual({
      ...common,
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      request: {
        userAttributes,
        privateChallengeParameters: { code: CODE },
        challengeAnswer: 'wrong',
        clientMetadata: { origin: 'respond-1' },
      },
      response: { answerCorrect: null },
    });
    const afterWrong = [
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'CODE-ROUND-1' },
    ];
    expect(defines[1]).toStrictEqual({
      ...common,
      triggerSource: 'DefineAuthChallenge_Authentication',
      request: { userAttributes, session: afterWrong, clientMetadata: { origin: 'respond-1' } },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
    expect(creates[1]).toStrictEqual({
      ...common,
      triggerSource: 'CreateAuthChallenge_Authentication',
      request: {
        userAttributes,
        challengeName: 'CUSTOM_CHALLENGE',
        session: afterWrong,
        clientMetadata: { origin: 'respond-1' },
      },
      response: {
        publicChallengeParameters: null,
        privateChallengeParameters: null,
        challengeMetadata: null,
      },
    });

    const done = await answer(second.Session, CODE, { origin: 'respond-2' });
    expect(done.ChallengeName).toBeUndefined();
    expect(done.Session).toBeUndefined();
    expect(done.ChallengeParameters).toEqual({});
    expect(done.AuthenticationResult?.RefreshToken).toBeTruthy();
    expect(claimsOf(done.AuthenticationResult?.IdToken)).toMatchObject({
      sub,
      'cognito:username': username,
      aud: clientId,
    });
    expect(
      (await t.client.send(new GetUserCommand({ AccessToken: done.AuthenticationResult?.AccessToken })))
        .Username,
    ).toBe(username);
    expect(verifies[1]?.request.clientMetadata).toEqual({ origin: 'respond-2' });
    expect(defines).toHaveLength(3);
    expect(defines[2]?.request).toStrictEqual({
      userAttributes,
      session: [
        ...afterWrong,
        { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CODE-ROUND-2' },
      ],
      clientMetadata: { origin: 'respond-2' },
    });
    expect(creates).toHaveLength(2);

    // Every Session is single-use.
    for (const used of [first.Session, second.Session]) {
      await expectFailure(
        answer(used, CODE),
        NotAuthorizedException,
        'Invalid session for the user, session can only be used once.',
      );
    }
  });

  it('records null challengeMetadata when the create trigger sets none', async () => {
    t.lambdas[CREATE] = async (raw) => {
      const event = raw as CreateAuthChallengeTriggerEvent;
      creates.push(structuredClone(event));
      event.response = { publicChallengeParameters: {}, privateChallengeParameters: { code: CODE } } as never;
      return event;
    };
    const first = await start();
    expect(first.ChallengeParameters).toEqual({ USERNAME: username });
    await answer(first.Session, 'wrong');
    expect(defines[1]?.request.session).toStrictEqual([
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: null },
    ]);
  });

  it('works through AdminInitiateAuth and AdminRespondToAuthChallenge', async () => {
    const first = await t.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: username },
        ClientMetadata: { origin: 'admin-initiate' },
      }),
    );
    expect(defines[0]?.request).not.toHaveProperty('clientMetadata');
    const done = await t.client.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: first.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: CODE },
        ClientMetadata: { origin: 'admin-respond' },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(verifies[0]?.request.clientMetadata).toEqual({ origin: 'admin-respond' });
    expect(defines[1]?.request.clientMetadata).toEqual({ origin: 'admin-respond' });
  });
});

describe('failure', () => {
  it('failAuthentication refuses with Incorrect username or password', async () => {
    installTriggers(allowAttempts(1));
    const first = await start();
    await expectFailure(
      answer(first.Session, 'wrong'),
      NotAuthorizedException,
      'Incorrect username or password.',
    );
    expect(creates).toHaveLength(1);

    installTriggers(() => ({ issueTokens: false, failAuthentication: true }));
    await expectFailure(start(), NotAuthorizedException, 'Incorrect username or password.');
  });

  it('caps the number of challenge rounds', async () => {
    installTriggers(allowAttempts(Number.POSITIVE_INFINITY));
    let session = (await start()).Session;
    for (let round = 1; round < MAX_CHALLENGE_ROUNDS; round++) {
      const next = await answer(session, 'wrong');
      expect(next.ChallengeName).toBe('CUSTOM_CHALLENGE');
      session = next.Session;
    }
    await expectFailure(answer(session, 'wrong'), NotAuthorizedException, 'Incorrect username or password.');
    expect(creates).toHaveLength(MAX_CHALLENGE_ROUNDS);
  });

  it('refuses a disabled user at the start and in the middle of the flow', async () => {
    await setUserEnabled(t, poolId, username, false);
    await expectFailure(start(), NotAuthorizedException, 'User is disabled.');
    expect(defines).toHaveLength(0);

    await setUserEnabled(t, poolId, username, true);
    const first = await start();
    await setUserEnabled(t, poolId, username, false);
    await expectFailure(answer(first.Session, CODE), NotAuthorizedException, 'User is disabled.');
    expect(verifies).toHaveLength(0);
  });

  it('expires the session after 3 minutes', async () => {
    const first = await start();
    t.clock.advance(3 * 60_000 + 1000);
    await expectFailure(
      answer(first.Session, CODE),
      NotAuthorizedException,
      'Invalid session for the user, session is expired.',
    );
    expect(verifies).toHaveLength(0);
  });

  it('refuses a session answered for another user or never issued', async () => {
    const first = await start();
    await expectFailure(
      answer(first.Session, CODE, undefined, 'someone-else'),
      NotAuthorizedException,
      'Invalid session for the user.',
    );
    await expectFailure(
      answer('forged-session', CODE),
      NotAuthorizedException,
      'Invalid session for the user.',
    );
    expect(verifies).toHaveLength(0);
  });

  it('lets exactly one of two concurrent answers with one session through', async () => {
    const first = await start();
    const results = await Promise.allSettled([answer(first.Session, CODE), answer(first.Session, CODE)]);
    const ok = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.reason).toBeInstanceOf(NotAuthorizedException);
    expect((refused[0]!.reason as Error).message).toBe(
      'Invalid session for the user, session can only be used once.',
    );
    expect(verifies).toHaveLength(1);
  });

  it('requires ANSWER', async () => {
    const first = await start();
    await expectFailure(
      t.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: first.Session,
          ChallengeResponses: { USERNAME: username },
        }),
      ),
      InvalidParameterException,
      'Missing required parameter ANSWER',
    );
  });
});

describe('unknown users', () => {
  it('are reported, unless the client prevents user-existence errors', async () => {
    await expectFailure(start('nobody'), UserNotFoundException, 'User does not exist.');
    expect(defines).toHaveLength(0);
  });

  it('get a challenge that can never succeed when the client hides user existence', async () => {
    t.lambdas[VERIFY] = async (raw) => {
      const event = raw as VerifyAuthChallengeResponseTriggerEvent;
      verifies.push(structuredClone(event));
      event.response = { answerCorrect: true };
      return event;
    };
    const first = await start('nobody', undefined, hidingClientId);
    expect(first.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(first.ChallengeParameters).toEqual({ hint: 'check your email', round: '1', USERNAME: 'nobody' });
    expect(defines[0]?.request).toStrictEqual({ userAttributes: {}, session: [], userNotFound: true });
    expect(defines[0]?.userName).toBe('nobody');
    expect(creates[0]?.request.userNotFound).toBe(true);

    // Even a verify trigger that accepts the answer cannot make it count...
    const second = await answer(first.Session, CODE, undefined, 'nobody', hidingClientId);
    expect(second.ChallengeName).toBe('CUSTOM_CHALLENGE');
    expect(verifies[0]?.request).toMatchObject({
      userAttributes: {},
      userNotFound: true,
      challengeAnswer: CODE,
    });
    expect(defines[1]?.request.session).toEqual([
      { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'CODE-ROUND-1' },
    ]);
    // ...and a define trigger that issues tokens cannot sign in a user that does not exist.
    installTriggers(() => ({ issueTokens: true, failAuthentication: false }));
    await expectFailure(
      answer(second.Session, CODE, undefined, 'nobody', hidingClientId),
      NotAuthorizedException,
      'Incorrect username or password.',
    );

    // A real user on that client is told apart to the triggers only.
    installTriggers(allowAttempts(3));
    defines = [];
    await start(username, undefined, hidingClientId);
    expect(defines[0]?.request.userNotFound).toBe(false);
  });
});

describe('configuration and trigger errors', () => {
  it('requires a DefineAuthChallenge trigger', async () => {
    const bare = await createPool(t, { PoolName: 'no-triggers' });
    const { clientId: bareClient } = await createClient(t, {
      UserPoolId: bare,
      ClientName: 'web',
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH'],
    });
    await createConfirmedUser(t, { UserPoolId: bare, Username: 'ada' }, 'Corr3ct-Horse!');
    await expectFailure(
      start('ada', undefined, bareClient),
      InvalidParameterException,
      'Custom auth lambda trigger is not configured for the user pool.',
    );
  });

  it('requires CUSTOM_AUTH in the client flows', async () => {
    const { clientId: passwordOnly } = await createClient(t, {
      UserPoolId: poolId,
      ClientName: 'password-only',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    });
    await expectFailure(
      start(username, undefined, passwordOnly),
      InvalidParameterException,
      'Auth flow not enabled for this client',
    );
  });

  const invalid: [string, string, LambdaHandler][] = [
    [
      'define names an unsupported challenge',
      DEFINE,
      async (e) => ({
        ...(e as object),
        response: { challengeName: 'SMS_MFA', issueTokens: false, failAuthentication: false },
      }),
    ],
    [
      'define gives a non-boolean issueTokens',
      DEFINE,
      async (e) => ({ ...(e as object), response: { issueTokens: 'yes' } }),
    ],
    ['define returns nothing', DEFINE, async () => undefined],
    [
      'create gives non-string parameters',
      CREATE,
      async (e) => ({
        ...(e as object),
        response: { publicChallengeParameters: { n: 1 }, privateChallengeParameters: {} },
      }),
    ],
  ];
  for (const [name, trigger, handler] of invalid) {
    it(`InvalidLambdaResponseException when ${name}`, async () => {
      t.lambdas[trigger] = handler;
      await expectFailure(start(), InvalidLambdaResponseException, 'Invalid lambda response');
    });
  }

  it('InvalidLambdaResponseException when verify gives a non-boolean answerCorrect', async () => {
    const first = await start();
    t.lambdas[VERIFY] = async (e) => ({ ...(e as object), response: { answerCorrect: 'true' } });
    await expectFailure(
      answer(first.Session, CODE),
      InvalidLambdaResponseException,
      'Invalid lambda response',
    );
  });

  it('UserLambdaValidationException when a trigger throws', async () => {
    t.lambdas[DEFINE] = async () => {
      throw new Error('boom');
    };
    await expectFailure(
      start(),
      UserLambdaValidationException,
      'DefineAuthChallenge failed with error boom.',
    );
  });
});
