// Conformance: the invitation AdminCreateUser sends — default text, InviteMessageTemplate, the
// CustomMessage trigger and its failures, MessageAction RESEND, delivery failure — over HTTP with the
// unmodified AWS SDK v3.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer } from '@/server/mail/types';
import {
  expectCognitoError,
  expectNoUser,
  invite,
  newEmailPool,
  newPool,
  newUser,
  storedUser,
  temporaryPasswordIn,
} from './admin-test-fixture';
import { verifyPassword } from './crypto';
import { startTestService, type TestService } from './test-support';

const DAY = 24 * 60 * 60 * 1000;
const CUSTOM_MESSAGE = 'test-custom-message';
const CUSTOM_MESSAGE_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${CUSTOM_MESSAGE}`;

let t: TestService;
/** The test service's capturing mailer; a test may swap in a failing one. */
let mailer: Mailer | undefined;

beforeAll(async () => {
  t = await startTestService();
  mailer = t.service.context.mailer;
});

afterAll(async () => {
  await t.close();
});

afterEach(() => {
  t.clock.offset = 0;
  t.service.context.mailer = mailer;
  delete t.lambdas[CUSTOM_MESSAGE];
  t.mail.length = 0;
});

describe('invitation message', () => {
  it("sends Cognito's default invitation with the username and temporary password", async () => {
    const poolId = await newEmailPool(t);
    await invite(t, { UserPoolId: poolId, Username: 'Invitee@Example.com' });
    expect(t.mail).toHaveLength(1);
    const [mail] = t.mail;
    expect(mail).toMatchObject({
      to: 'Invitee@Example.com',
      subject: 'Your temporary password',
      kind: 'invitation',
    });
    expect(mail!.text).toMatch(/^Your username is Invitee@Example\.com and temporary password is \S+\.$/);
    const { Users } = await t.client.send(new ListUsersCommand({ UserPoolId: poolId }));
    const password = temporaryPasswordIn(mail!.text);
    expect(
      await verifyPassword(
        password,
        storedUser(t, poolId, Users![0]!.Username!).password_hash!,
        t.service.context.pepper,
      ),
    ).toBe(true);
  });

  it("uses the pool's InviteMessageTemplate, as HTML when it is HTML", async () => {
    const poolId = await newPool(t, {
      AdminCreateUserConfig: {
        InviteMessageTemplate: {
          EmailSubject: 'Join the team',
          EmailMessage: '<p>Sign in as <b>{username}</b></p><p>Password: {####}</p>',
        },
      },
    });
    await invite(t, {
      UserPoolId: poolId,
      Username: 'sam',
      TemporaryPassword: 'Temp-pass-1',
      UserAttributes: [{ Name: 'email', Value: 'sam@example.com' }],
    });
    expect(t.mail[0]).toMatchObject({
      to: 'sam@example.com',
      subject: 'Join the team',
      html: '<p>Sign in as <b>sam</b></p><p>Password: Temp-pass-1</p>',
      text: 'Sign in as sam\nPassword: Temp-pass-1',
    });
  });

  it('sends nothing with MessageAction SUPPRESS, and nothing by email unless EMAIL is asked for', async () => {
    const poolId = await newEmailPool(t, { LambdaConfig: { CustomMessage: CUSTOM_MESSAGE_ARN } });
    let calls = 0;
    t.lambdas[CUSTOM_MESSAGE] = async (event) => {
      calls += 1;
      return event;
    };
    await newUser(t, poolId, 'quiet@example.com');
    await t.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'sms-default@example.com' }),
    );
    expect(calls).toBe(0);
    expect(t.mail).toEqual([]);
  });

  it('refuses EMAIL delivery for a user without an email address', async () => {
    const poolId = await newPool(t);
    await expectCognitoError(
      invite(t, { UserPoolId: poolId, Username: 'no-email' }),
      'InvalidParameterException',
    );
    await expectNoUser(t, poolId, 'no-email');
  });
});

describe('CustomMessage trigger', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await newEmailPool(t, { LambdaConfig: { CustomMessage: CUSTOM_MESSAGE_ARN } });
  });

  it("is invoked with Cognito's CustomMessage_AdminCreateUser event, and its message is sent", async () => {
    const events: CustomMessageTriggerEvent[] = [];
    t.lambdas[CUSTOM_MESSAGE] = async (event) => {
      const custom = event as CustomMessageTriggerEvent;
      events.push(structuredClone(custom));
      custom.response.emailSubject = 'You are invited';
      custom.response.emailMessage = `Hello ${custom.request.usernameParameter}, your code is ${custom.request.codeParameter}. Plan: ${custom.request.clientMetadata?.plan}`;
      return custom;
    };
    const { User } = await invite(t, {
      UserPoolId: poolId,
      Username: 'triggered@example.com',
      UserAttributes: [
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Tri Gered' },
      ],
      TemporaryPassword: 'Temp-pass-1',
      ClientMetadata: { plan: 'team', invitedBy: 'admin@example.com' },
    });
    expect(events).toEqual([
      {
        version: '1',
        region: 'us-east-1',
        userPoolId: poolId,
        userName: User!.Username,
        callerContext: { awsSdkVersion: expect.any(String), clientId: 'CLIENT_ID_NOT_APPLICABLE' },
        triggerSource: 'CustomMessage_AdminCreateUser',
        request: {
          userAttributes: {
            sub: User!.Username,
            email: 'triggered@example.com',
            email_verified: 'true',
            name: 'Tri Gered',
            'cognito:user_status': 'FORCE_CHANGE_PASSWORD',
          },
          codeParameter: '{####}',
          linkParameter: '{##Click Here##}',
          usernameParameter: '{username}',
          clientMetadata: { plan: 'team', invitedBy: 'admin@example.com' },
        },
        response: { smsMessage: null, emailMessage: null, emailSubject: null },
      },
    ]);
    expect(t.mail).toEqual([
      {
        to: 'triggered@example.com',
        subject: 'You are invited',
        text: 'Hello triggered@example.com, your code is Temp-pass-1. Plan: team',
        kind: 'invitation',
      },
    ]);
  });

  it('leaves out clientMetadata when the call has none', async () => {
    let request: Record<string, unknown> | undefined;
    t.lambdas[CUSTOM_MESSAGE] = async (event) => {
      request = (event as CustomMessageTriggerEvent).request;
      return event;
    };
    await invite(t, { UserPoolId: poolId, Username: 'no-metadata@example.com' });
    expect(request).toBeDefined();
    expect(request).not.toHaveProperty('clientMetadata');
  });

  it("falls back to the default message when the trigger doesn't set one", async () => {
    t.lambdas[CUSTOM_MESSAGE] = async (event) => event;
    await invite(t, { UserPoolId: poolId, Username: 'fallback@example.com' });
    expect(t.mail[0]?.subject).toBe('Your temporary password');
    expect(t.mail[0]?.text).toMatch(
      /^Your username is fallback@example\.com and temporary password is \S+\.$/,
    );
  });

  it('fails with UserLambdaValidationException when the trigger throws, and creates no user', async () => {
    t.lambdas[CUSTOM_MESSAGE] = async () => {
      throw new Error('template store is down');
    };
    await expectCognitoError(
      invite(t, { UserPoolId: poolId, Username: 'thrown@example.com' }),
      'UserLambdaValidationException',
      'CustomMessage failed with error template store is down.',
    );
    await expectNoUser(t, poolId, 'thrown@example.com');
    expect(t.mail).toEqual([]);
  });

  it('fails with InvalidLambdaResponseException when the trigger returns junk', async () => {
    for (const junk of ['not an event', null, { response: 'nope' }, { response: { emailMessage: 42 } }]) {
      t.lambdas[CUSTOM_MESSAGE] = async () => junk;
      await expectCognitoError(
        invite(t, { UserPoolId: poolId, Username: 'junk@example.com' }),
        'InvalidLambdaResponseException',
      );
    }
    await expectNoUser(t, poolId, 'junk@example.com');
  });

  it('refuses a custom message without the {####} or {username} placeholders', async () => {
    for (const [message, placeholder] of [
      ['Welcome {username}, no password here', '####'],
      ['Your password is {####}, good luck guessing your username', 'username'],
    ] as const) {
      t.lambdas[CUSTOM_MESSAGE] = async (event) => {
        (event as CustomMessageTriggerEvent).response.emailMessage = message;
        return event;
      };
      await expectCognitoError(
        invite(t, { UserPoolId: poolId, Username: 'placeholder@example.com' }),
        'InvalidParameterException',
        `1 validation error detected: Value '${message}' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{${placeholder}\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*`,
      );
    }
    await expectNoUser(t, poolId, 'placeholder@example.com');
    expect(t.mail).toEqual([]);
  });

  it('fails with UnexpectedLambdaException when the named function does not exist', async () => {
    await expectCognitoError(
      invite(t, { UserPoolId: poolId, Username: 'missing@example.com' }),
      'UnexpectedLambdaException',
    );
  });
});

describe('MessageAction RESEND', () => {
  it('sets a new temporary password with a new expiry and sends the invitation again', async () => {
    const poolId = await newEmailPool(t, { LambdaConfig: { CustomMessage: CUSTOM_MESSAGE_ARN } });
    const sources: string[] = [];
    t.lambdas[CUSTOM_MESSAGE] = async (event) => {
      sources.push((event as CustomMessageTriggerEvent).triggerSource);
      return event;
    };
    const { User } = await invite(t, { UserPoolId: poolId, Username: 'again@example.com' });
    const first = temporaryPasswordIn(t.mail[0]!.text);

    t.clock.advance(5 * DAY);
    const resentAt = Date.now() + t.clock.offset;
    const { User: resent } = await invite(t, {
      UserPoolId: poolId,
      Username: 'Again@Example.com',
      MessageAction: 'RESEND',
    });
    expect(resent?.Username).toBe(User?.Username);
    expect(resent?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(resent!.UserLastModifiedDate!.getTime()).toBeGreaterThan(User!.UserLastModifiedDate!.getTime());
    expect(t.mail).toHaveLength(2);
    const second = temporaryPasswordIn(t.mail[1]!.text);
    expect(second).not.toBe(first);
    const stored = storedUser(t, poolId, User!.Username!);
    expect(await verifyPassword(second, stored.password_hash!, t.service.context.pepper)).toBe(true);
    expect(await verifyPassword(first, stored.password_hash!, t.service.context.pepper)).toBe(false);
    expect(stored.temp_password_expires_at).toBeGreaterThanOrEqual(resentAt + 7 * DAY - 1000);
    expect(sources).toEqual(['CustomMessage_AdminCreateUser', 'CustomMessage_AdminCreateUser']);
  });

  it('answers UserNotFoundException for an unknown user', async () => {
    const poolId = await newEmailPool(t);
    await expectCognitoError(
      invite(t, { UserPoolId: poolId, Username: 'ghost@example.com', MessageAction: 'RESEND' }),
      'UserNotFoundException',
      'User does not exist.',
    );
  });

  it('answers UnsupportedUserStateException once the user has a permanent password', async () => {
    const poolId = await newEmailPool(t);
    const User = await newUser(t, poolId, 'settled@example.com');
    await t.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'settled@example.com',
        Password: 'Perm-pass-1',
        Permanent: true,
      }),
    );
    await expectCognitoError(
      invite(t, { UserPoolId: poolId, Username: 'settled@example.com', MessageAction: 'RESEND' }),
      'UnsupportedUserStateException',
      `Resend not possible. ${User.Username} status is not FORCE_CHANGE_PASSWORD.`,
    );
    expect(t.mail).toEqual([]);
  });
});

describe('mail delivery failure', () => {
  it('keeps the created user and fails the call with CodeDeliveryFailureException', async () => {
    const poolId = await newEmailPool(t);
    t.service.context.mailer = {
      async send() {
        throw new Error('SMTP connection refused');
      },
    };
    await expectCognitoError(
      invite(t, { UserPoolId: poolId, Username: 'undelivered@example.com' }),
      'CodeDeliveryFailureException',
    );
    const got = await t.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'undelivered@example.com' }),
    );
    expect(got.UserStatus).toBe('FORCE_CHANGE_PASSWORD');

    t.service.context.mailer = mailer;
    await invite(t, { UserPoolId: poolId, Username: 'undelivered@example.com', MessageAction: 'RESEND' });
    expect(t.mail.map((mail) => mail.to)).toEqual(['undelivered@example.com']);
  });
});
