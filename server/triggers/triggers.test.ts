import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  CreateAuthChallengeTriggerEvent,
  CustomMessageTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChallengeStore, openSqliteChallengeStore } from '@/server/challenges';
import { hashSecret, LINK_TTL_MS, MIN_SEND_INTERVAL_MS } from '@/server/challenges/links';
import type { Mailer, MailMessage } from '@/server/mail/types';
import { createTriggerHandlers } from './index';
import { invitationMetadata, linkMetadata, MAX_ROUNDS, REQUEST_PLACEHOLDER_ANSWER } from './protocol';

const PUBLIC_URL = 'https://studio.example.com';
const T0 = Date.UTC(2030, 0, 1, 12);
const ALICE = { userName: 'alice-id', email: 'alice@example.com' };

let dataDir: string;
let challenges: ChallengeStore;
let sent: MailMessage[];
let mailer: Mailer;
let clock: number;
let handlers: ReturnType<typeof createTriggerHandlers>;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triggers-'));
  challenges = openSqliteChallengeStore(dataDir);
  sent = [];
  mailer = {
    async send(message) {
      sent.push(message);
    },
  };
  clock = T0;
  handlers = createTriggerHandlers({
    publicUrl: PUBLIC_URL,
    productName: 'Studio Access',
    mailer: { send: (message) => mailer.send(message) },
    challenges,
    now: () => clock,
  });
});
afterEach(() => {
  challenges.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Round = { challengeName: 'CUSTOM_CHALLENGE'; challengeResult: boolean };

function base<T extends string>(triggerSource: T, user = ALICE) {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_test',
    userName: user.userName,
    callerContext: { awsSdkVersion: 'test', clientId: 'client' },
    triggerSource,
  };
}

const attributes = (user = ALICE) => ({
  sub: `${user.userName}-sub`,
  email: user.email,
  email_verified: 'true',
});

async function define(session: Round[], clientMetadata?: Record<string, string>, userNotFound = false) {
  const event: DefineAuthChallengeTriggerEvent = {
    ...base('DefineAuthChallenge_Authentication'),
    request: { userAttributes: attributes(), session, clientMetadata, userNotFound },
    response: { failAuthentication: false, issueTokens: false },
  };
  return ((await handlers['define-auth-challenge'](event)) as DefineAuthChallengeTriggerEvent).response;
}

async function create(
  session: Round[],
  clientMetadata?: Record<string, string>,
  user = ALICE,
  userNotFound = false,
) {
  const event: CreateAuthChallengeTriggerEvent = {
    ...base('CreateAuthChallenge_Authentication', user),
    request: {
      userAttributes: attributes(user),
      challengeName: 'CUSTOM_CHALLENGE',
      session,
      clientMetadata,
      userNotFound,
    },
    response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: '' },
  };
  return ((await handlers['create-auth-challenge'](event)) as CreateAuthChallengeTriggerEvent).response;
}

async function verify(
  answer: string,
  clientMetadata?: Record<string, string>,
  user = ALICE,
  email = user.email,
) {
  const event: VerifyAuthChallengeResponseTriggerEvent = {
    ...base('VerifyAuthChallengeResponse_Authentication', user),
    request: {
      userAttributes: { ...attributes(user), email },
      privateChallengeParameters: {},
      challengeAnswer: answer,
      clientMetadata,
    },
    response: { answerCorrect: false },
  };
  return ((await handlers['verify-auth-challenge'](event)) as VerifyAuthChallengeResponseTriggerEvent)
    .response.answerCorrect;
}

/** The secret in the last mailed link. */
function mailedSecret(): string {
  const message = sent.at(-1);
  const match = /\/auth\/link#([A-Za-z0-9_-]{43})/.exec(message?.text ?? '');
  if (!match) throw new Error('no link mailed');
  return match[1]!;
}

const REQUEST = linkMetadata('REQUEST');
const ANSWER = linkMetadata('ANSWER');
const wrong: Round = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: false };
const right: Round = { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true };

describe('define-auth-challenge', () => {
  it('opens a session with a custom challenge', async () => {
    expect(await define([])).toEqual({
      challengeName: 'CUSTOM_CHALLENGE',
      failAuthentication: false,
      issueTokens: false,
    });
  });

  it('issues tokens after a correct answer', async () => {
    expect(await define([wrong, right], ANSWER)).toEqual({ failAuthentication: false, issueTokens: true });
  });

  it('asks again after a link request, and fails after a wrong answer (one try per link)', async () => {
    expect((await define([wrong], REQUEST)).challengeName).toBe('CUSTOM_CHALLENGE');
    expect(await define([wrong], ANSWER)).toEqual({ failAuthentication: true, issueTokens: false });
    expect(await define([wrong])).toEqual({ failAuthentication: true, issueTokens: false });
  });

  it('bounds the rounds of one session', async () => {
    const rounds = Array.from({ length: MAX_ROUNDS }, () => wrong);
    expect((await define(rounds, REQUEST)).failAuthentication).toBe(true);
  });

  it('fails for an unknown user and for non-custom rounds', async () => {
    expect((await define([], undefined, true)).failAuthentication).toBe(true);
    const srp = { challengeName: 'SRP_A', challengeResult: true } as unknown as Round;
    expect((await define([srp], ANSWER)).failAuthentication).toBe(true);
  });
});

describe('create-auth-challenge', () => {
  it('sends nothing on the first round, which has no client metadata', async () => {
    const response = await create([]);
    expect(response.publicChallengeParameters).toEqual({});
    expect(sent).toHaveLength(0);
  });

  it('mails a link on PUBLIC_URL after a request, storing only its hash', async () => {
    const response = await create([wrong], REQUEST);
    expect(response.publicChallengeParameters).toEqual({});
    expect(response.privateChallengeParameters).toEqual({});
    expect(sent).toHaveLength(1);
    const message = sent[0]!;
    expect(message.to).toBe(ALICE.email);
    expect(message.kind).toBe('sign-in-link');
    expect(message.subject).toBe('Your sign-in link for Studio Access');
    const secret = mailedSecret();
    expect(message.text).toContain(`${PUBLIC_URL}/auth/link#${secret}`);
    expect(message.html).toContain(`href="${PUBLIC_URL}/auth/link#${secret}"`);
    expect(await challenges.inspect(hashSecret(secret), clock)).toMatchObject({
      state: 'valid',
      username: ALICE.userName,
      email: ALICE.email,
      expiresAt: T0 + LINK_TTL_MS,
    });
  });

  it('sends nothing for a second request within 60 s, and the same empty parameters', async () => {
    const first = await create([wrong], REQUEST);
    clock += MIN_SEND_INTERVAL_MS - 1;
    const second = await create([wrong], REQUEST);
    expect(second).toEqual(first);
    expect(sent).toHaveLength(1);
    clock += 1;
    await create([wrong], REQUEST);
    expect(sent).toHaveLength(2);
  });

  it('sends nothing to an invitee who has not accepted the invitation yet', async () => {
    const event: CreateAuthChallengeTriggerEvent = {
      ...base('CreateAuthChallenge_Authentication'),
      request: {
        userAttributes: { ...attributes(), 'cognito:user_status': 'FORCE_CHANGE_PASSWORD' },
        challengeName: 'CUSTOM_CHALLENGE',
        session: [wrong],
        clientMetadata: REQUEST,
      },
      response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: '' },
    };
    await handlers['create-auth-challenge'](event);
    expect(sent).toHaveLength(0);
    await create([wrong], REQUEST);
    expect(sent).toHaveLength(1);
  });

  it('sends nothing for an unknown user', async () => {
    await create([wrong], REQUEST, ALICE, true);
    expect(sent).toHaveLength(0);
  });

  it('retires the link when the mail cannot be sent', async () => {
    // The transport saw the message (say the server dropped the connection after DATA), then failed:
    // if that link stayed live, whoever ends up with the message could still sign in with it.
    mailer = {
      async send(message) {
        sent.push(message);
        throw new Error('SMTP down');
      },
    };
    await expect(create([wrong], REQUEST)).rejects.toThrow('SMTP down');
    const undelivered = mailedSecret();
    expect(await verify(undelivered, ANSWER)).toBe(false);

    // The member can ask again after the usual interval, and that link works.
    mailer = {
      async send(message) {
        sent.push(message);
      },
    };
    clock += MIN_SEND_INTERVAL_MS;
    await create([wrong], REQUEST);
    expect(sent).toHaveLength(2);
    const fresh = mailedSecret();
    expect(fresh).not.toBe(undelivered);
    expect(await verify(fresh, ANSWER)).toBe(true);
  });
});

describe('verify-auth-challenge', () => {
  async function mailLink() {
    await create([wrong], REQUEST);
    return mailedSecret();
  }

  it('accepts the mailed secret once', async () => {
    const secret = await mailLink();
    expect(await verify(secret, ANSWER)).toBe(true);
    expect(await verify(secret, ANSWER)).toBe(false);
  });

  it('does not treat a link request as an answer, and spends nothing', async () => {
    const secret = await mailLink();
    expect(await verify(REQUEST_PLACEHOLDER_ANSWER, REQUEST)).toBe(false);
    expect(await verify(secret, REQUEST)).toBe(false);
    expect(await verify(secret)).toBe(false);
    expect(await verify(secret, ANSWER)).toBe(true);
  });

  it('refuses a secret with one character changed', async () => {
    const secret = await mailLink();
    const altered = `${secret.slice(0, 10)}${secret[10] === 'a' ? 'b' : 'a'}${secret.slice(11)}`;
    expect(await verify(altered, ANSWER)).toBe(false);
    expect(await verify(secret, ANSWER)).toBe(true);
  });

  it("refuses member A's link answered as member B", async () => {
    const secret = await mailLink();
    expect(await verify(secret, ANSWER, { userName: 'bob-id', email: 'bob@example.com' })).toBe(false);
  });

  it('refuses an expired link', async () => {
    const secret = await mailLink();
    clock += LINK_TTL_MS;
    expect(await verify(secret, ANSWER)).toBe(false);
  });

  it('refuses an older link once a newer one was sent', async () => {
    const older = await mailLink();
    clock += MIN_SEND_INTERVAL_MS;
    const newer = await mailLink();
    expect(newer).not.toBe(older);
    expect(await verify(older, ANSWER)).toBe(false);
    expect(await verify(newer, ANSWER)).toBe(true);
  });

  it('refuses a link sent to an address the member no longer has', async () => {
    const secret = await mailLink();
    expect(await verify(secret, ANSWER, ALICE, 'alice@new.example.com')).toBe(false);
  });

  it('of two simultaneous answers with one link, exactly one is correct', async () => {
    const secret = await mailLink();
    const results = await Promise.all([verify(secret, ANSWER), verify(secret, ANSWER)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('custom-message', () => {
  async function message(
    triggerSource: CustomMessageTriggerEvent['triggerSource'],
    clientMetadata?: Record<string, string>,
  ) {
    const event = {
      ...base(triggerSource),
      userName: 'bob@example.com',
      request: {
        userAttributes: { sub: 'bob-sub', email: 'bob@example.com' },
        codeParameter: '{####}',
        linkParameter: '{##Click Here##}',
        usernameParameter: triggerSource === 'CustomMessage_AdminCreateUser' ? '{username}' : null,
        clientMetadata,
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    } as CustomMessageTriggerEvent;
    return ((await handlers['custom-message'](event)) as CustomMessageTriggerEvent).response;
  }

  it('writes the invitation: who invited, access level, placeholders, link and expiry date', async () => {
    const response = await message(
      'CustomMessage_AdminCreateUser',
      invitationMetadata('carol@example.com', 'full'),
    );
    expect(response.emailSubject).toBe('carol@example.com invited you to Studio Access');
    const html = response.emailMessage ?? '';
    expect(html).toContain('{username}');
    expect(html).toContain('{####}');
    expect(html).toContain('carol@example.com');
    expect(html).toContain('Full access');
    expect(html).toContain(`href="${PUBLIC_URL}/invite?email=bob%40example.com"`);
    // Temporary passwords last 7 days.
    expect(html).toContain('January 8, 2030 at 12:00 UTC');
  });

  it('names Manage only, and still reads well without metadata', async () => {
    expect(
      (await message('CustomMessage_AdminCreateUser', invitationMetadata('c@x.io', 'manage'))).emailMessage,
    ).toContain('Manage only');
    const bare = await message('CustomMessage_AdminCreateUser');
    expect(bare.emailSubject).toBe('You are invited to Studio Access');
    expect(bare.emailMessage).toContain('A team administrator');
    expect(bare.emailMessage).not.toContain('Full access');
  });

  it('escapes what the inviter controls', async () => {
    const response = await message(
      'CustomMessage_AdminCreateUser',
      invitationMetadata('<b>x</b>@example.com', 'full'),
    );
    expect(response.emailMessage).toContain('&lt;b&gt;x&lt;/b&gt;@example.com');
    expect(response.emailMessage).not.toContain('<b>x</b>');
  });

  it('fills in the user name itself on ResendCode, where Cognito does not', async () => {
    const html = (await message('CustomMessage_ResendCode')).emailMessage ?? '';
    expect(html).not.toContain('{username}');
    expect(html).toContain('bob@example.com');
    expect(html).toContain('{####}');
  });

  it('leaves other messages to Cognito', async () => {
    const response = await message('CustomMessage_ForgotPassword');
    expect(response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
  });
});

describe('createTriggerHandlers', () => {
  it('refuses an event of another kind', async () => {
    const event = { ...base('CustomMessage_AdminCreateUser'), request: { userAttributes: {} }, response: {} };
    await expect(handlers['define-auth-challenge'](event)).rejects.toThrow(/Unexpected trigger source/);
    await expect(handlers['verify-auth-challenge']('nope')).rejects.toThrow(/must be an object/);
  });
});
