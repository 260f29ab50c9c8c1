// Conformance: AdminCreateUser (invitations, the CustomMessage trigger, RESEND, concurrency), the
// other admin user operations and group membership, over HTTP with the unmodified AWS SDK v3.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  attribute,
  deferred,
  expectCognitoError,
  newEmailPool,
  newPool,
  newUser,
  temporaryPasswordIn,
} from './admin-test-fixture';
import { verifyPassword } from './crypto';
import { startTestService, type TestService } from './test-support';

const DAY = 24 * 60 * 60 * 1000;
const CUSTOM_MESSAGE = 'test-custom-message';
const CUSTOM_MESSAGE_ARN = `arn:aws:lambda:us-east-1:000000000000:function:${CUSTOM_MESSAGE}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestService;
const realMailer = () => t.service.context.mailer;
let mailer: ReturnType<typeof realMailer>;

beforeAll(async () => {
  t = await startTestService();
  mailer = realMailer();
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

interface UserRow {
  status: string;
  password_hash: string | null;
  temp_password_expires_at: number | null;
  tokens_valid_after: number;
  enabled: number;
}

/** The stored row the auth operations read (password hash, temporary password expiry, token cut-off). */
function row(poolId: string, username: string): UserRow {
  return t.service.context.db
    .prepare('SELECT * FROM users WHERE pool_id = ? AND username = ?')
    .get(poolId, username) as UserRow;
}

const invite = (input: Omit<AdminCreateUserCommandInput, 'UserPoolId'> & { UserPoolId: string }) =>
  t.client.send(new AdminCreateUserCommand({ DesiredDeliveryMediums: ['EMAIL'], ...input }));

async function expectNoUser(poolId: string, username: string) {
  await expectCognitoError(
    t.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })),
    'UserNotFoundException',
    'User does not exist.',
  );
}

describe('AdminCreateUser', () => {
  it('creates a FORCE_CHANGE_PASSWORD user and returns its UserType', async () => {
    const poolId = await newPool(t);
    const before = Date.now();
    const { User } = await t.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'jane',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: 'Jane@Example.com' },
          { Name: 'given_name', Value: 'Jane' },
        ],
      }),
    );
    expect(User?.Username).toBe('jane');
    expect(User?.Enabled).toBe(true);
    expect(User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    expect(User?.Attributes?.[0]?.Name).toBe('sub');
    expect(attribute(User?.Attributes, 'sub')).toMatch(UUID);
    expect(attribute(User?.Attributes, 'email')).toBe('Jane@Example.com');
    expect(attribute(User?.Attributes, 'given_name')).toBe('Jane');
    expect(User?.UserCreateDate?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(User?.UserLastModifiedDate).toEqual(User?.UserCreateDate);

    const got = await t.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'jane' }));
    expect(got).toMatchObject({
      Username: 'jane',
      UserAttributes: User?.Attributes,
      UserCreateDate: User?.UserCreateDate,
      Enabled: true,
      UserStatus: 'FORCE_CHANGE_PASSWORD',
    });
    expect(t.mail).toEqual([]);
  });

  it('stores a temporary password that expires after TemporaryPasswordValidityDays', async () => {
    const poolId = await newPool(t, {
      Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 3 } },
    });
    const before = Date.now();
    await newUser(t, poolId, 'temp', { TemporaryPassword: 'Temp-pass-1' });
    const stored = row(poolId, 'temp');
    expect(stored.status).toBe('FORCE_CHANGE_PASSWORD');
    expect(verifyPassword('Temp-pass-1', stored.password_hash!, t.service.context.pepper)).toBe(true);
    expect(verifyPassword('Temp-pass-2', stored.password_hash!, t.service.context.pepper)).toBe(false);
    expect(stored.temp_password_expires_at).toBeGreaterThanOrEqual(before + 3 * DAY);
    expect(stored.temp_password_expires_at).toBeLessThanOrEqual(Date.now() + 3 * DAY);
  });

  it('refuses an existing username with UsernameExistsException', async () => {
    const poolId = await newPool(t, { UsernameConfiguration: { CaseSensitive: false } });
    await newUser(t, poolId, 'Alice');
    await expectCognitoError(
      newUser(t, poolId, 'alice'),
      'UsernameExistsException',
      'User account already exists',
    );
    const got = await t.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ALICE' }));
    expect(got.Username).toBe('Alice');

    const sensitive = await newPool(t);
    await newUser(t, sensitive, 'Alice');
    await newUser(t, sensitive, 'alice');
    await expectNoUser(sensitive, 'ALICE');
  });

  it('validates the username and attributes', async () => {
    const poolId = await newPool(t, { Schema: [{ Name: 'tenant', AttributeDataType: 'String' }] });
    await expectCognitoError(
      newUser(t, poolId, 'has space'),
      'InvalidParameterException',
      /Value 'has space' at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    await expectCognitoError(
      newUser(t, poolId, 'x', { UserAttributes: [{ Name: 'favourite_colour', Value: 'blue' }] }),
      'InvalidParameterException',
      'Attributes did not conform to the schema: favourite_colour: Attribute does not exist in the schema.',
    );
    await expectCognitoError(
      newUser(t, poolId, 'x', { UserAttributes: [{ Name: 'sub', Value: 'mine' }] }),
      'InvalidParameterException',
      'Cannot modify the non-mutable attribute sub',
    );
    await expectCognitoError(
      newUser(t, poolId, 'x', { UserAttributes: [{ Name: 'email', Value: 'not-an-email' }] }),
      'InvalidParameterException',
      'Invalid email address format.',
    );
    await expectCognitoError(
      newUser(t, poolId, 'x', { UserAttributes: [{ Name: 'phone_number', Value: '555-1234' }] }),
      'InvalidParameterException',
      'Invalid phone number format.',
    );
    await expectCognitoError(
      newUser(t, poolId, 'x', { UserAttributes: [{ Name: 'email_verified', Value: 'yes' }] }),
      'InvalidParameterException',
    );
    const { User } = await t.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'x',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'custom:tenant', Value: 'acme' }],
      }),
    );
    expect(attribute(User?.Attributes, 'custom:tenant')).toBe('acme');

    const required = await newPool(t, {
      Schema: [{ Name: 'email', AttributeDataType: 'String', Required: true }],
    });
    await expectCognitoError(
      newUser(t, required, 'y'),
      'InvalidParameterException',
      'Attributes did not conform to the schema: email: The attribute is required',
    );
  });

  it('checks a given temporary password against the pool policy, with Cognito messages', async () => {
    const poolId = await newPool(t);
    const cases: [string, string][] = [
      ['Sh0rt!', 'Password not long enough'],
      ['UPPERCASE-1', 'Password must have lowercase characters'],
      ['lowercase-1', 'Password must have uppercase characters'],
      ['No-Numbers', 'Password must have numeric characters'],
      ['NoSymbols1', 'Password must have symbol characters'],
    ];
    for (const [password, reason] of cases) {
      await expectCognitoError(
        newUser(t, poolId, `p-${password}`, { TemporaryPassword: password }),
        'InvalidPasswordException',
        `Password did not conform with policy: ${reason}`,
      );
    }
    await newUser(t, poolId, 'ok', { TemporaryPassword: 'Good-pass-1' });
  });

  it('generates a temporary password that satisfies the policy', async () => {
    const poolId = await newPool(t, {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 20,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    const passwords = new Set<string>();
    for (let i = 0; i < 5; i++) {
      await invite({
        UserPoolId: poolId,
        Username: `gen${i}`,
        UserAttributes: [{ Name: 'email', Value: `gen${i}@example.com` }],
      });
      const password = temporaryPasswordIn(t.mail[i]!.text);
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[^A-Za-z0-9]/);
      expect(verifyPassword(password, row(poolId, `gen${i}`).password_hash!, t.service.context.pepper)).toBe(
        true,
      );
      passwords.add(password);
    }
    expect(passwords.size).toBe(5);
  });
});

describe('email as username', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await newEmailPool(t);
  });

  it('makes the username a UUID equal to sub and keeps the email as an attribute', async () => {
    const User = await newUser(t, poolId, 'Mixed.Case@Example.com');
    expect(User.Username).toMatch(UUID);
    expect(attribute(User.Attributes, 'sub')).toBe(User.Username);
    expect(attribute(User.Attributes, 'email')).toBe('Mixed.Case@Example.com');
  });

  it('accepts the email, in any case, wherever the admin APIs take a Username', async () => {
    const User = await newUser(t, poolId, 'lookup@example.com');
    for (const name of ['lookup@example.com', 'LOOKUP@Example.COM', User.Username!]) {
      const got = await t.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: name }));
      expect(got.Username).toBe(User.Username);
    }
    await t.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'Lookup@Example.com' }));
    const got = await t.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: User.Username }));
    expect(got.Enabled).toBe(false);
  });

  it('refuses a second account with the same email in any case', async () => {
    await newUser(t, poolId, 'twice@example.com');
    await expectCognitoError(
      newUser(t, poolId, 'TWICE@example.com'),
      'UsernameExistsException',
      'An account with the given email already exists.',
    );
  });

  it('requires the Username to be an email', async () => {
    await expectCognitoError(
      newUser(t, poolId, 'not-an-email'),
      'InvalidParameterException',
      'Username should be an email.',
    );
  });

  it('lets exactly one of two concurrent creates of one email win', async () => {
    // The trigger holds both calls until both have passed the early existence check, so only the
    // check inside the write transaction can keep the second one out.
    const racePool = await newEmailPool(t, { LambdaConfig: { CustomMessage: CUSTOM_MESSAGE_ARN } });
    const bothArrived = deferred();
    let calls = 0;
    t.lambdas[CUSTOM_MESSAGE] = async (event) => {
      calls += 1;
      if (calls === 2) bothArrived.resolve();
      await bothArrived.promise;
      return event;
    };
    const results = await Promise.allSettled([
      invite({ UserPoolId: racePool, Username: 'race@example.com' }),
      invite({ UserPoolId: racePool, Username: 'Race@Example.com' }),
    ]);
    expect(calls).toBe(2);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((rejected[0]!.reason as Error).name).toBe('UsernameExistsException');
    const { Users } = await t.client.send(
      new ListUsersCommand({ UserPoolId: racePool, Filter: 'email = "race@example.com"' }),
    );
    expect(Users).toHaveLength(1);
    expect(t.mail.filter((mail) => mail.to.toLowerCase() === 'race@example.com')).toHaveLength(1);
  });

  it('keeps one user when many creates of one email arrive at once', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => newUser(t, poolId, 'burst@example.com')),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const { Users } = await t.client.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "burst@example.com"' }),
    );
    expect(Users).toHaveLength(1);
  });
});

describe('invitation message', () => {
  it("sends Cognito's default invitation with the username and temporary password", async () => {
    const poolId = await newEmailPool(t);
    await invite({ UserPoolId: poolId, Username: 'Invitee@Example.com' });
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
      verifyPassword(password, row(poolId, Users![0]!.Username!).password_hash!, t.service.context.pepper),
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
    await invite({
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
      invite({ UserPoolId: poolId, Username: 'no-email' }),
      'InvalidParameterException',
    );
    await expectNoUser(poolId, 'no-email');
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
    const { User } = await invite({
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
    await invite({ UserPoolId: poolId, Username: 'no-metadata@example.com' });
    expect(request).toBeDefined();
    expect(request).not.toHaveProperty('clientMetadata');
  });

  it("falls back to the default message when the trigger doesn't set one", async () => {
    t.lambdas[CUSTOM_MESSAGE] = async (event) => event;
    await invite({ UserPoolId: poolId, Username: 'fallback@example.com' });
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
      invite({ UserPoolId: poolId, Username: 'thrown@example.com' }),
      'UserLambdaValidationException',
      'CustomMessage failed with error template store is down.',
    );
    await expectNoUser(poolId, 'thrown@example.com');
    expect(t.mail).toEqual([]);
  });

  it('fails with InvalidLambdaResponseException when the trigger returns junk', async () => {
    for (const junk of ['not an event', null, { response: 'nope' }, { response: { emailMessage: 42 } }]) {
      t.lambdas[CUSTOM_MESSAGE] = async () => junk;
      await expectCognitoError(
        invite({ UserPoolId: poolId, Username: 'junk@example.com' }),
        'InvalidLambdaResponseException',
      );
    }
    await expectNoUser(poolId, 'junk@example.com');
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
        invite({ UserPoolId: poolId, Username: 'placeholder@example.com' }),
        'InvalidParameterException',
        `1 validation error detected: Value '${message}' at 'emailBody' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{${placeholder}\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*`,
      );
    }
    await expectNoUser(poolId, 'placeholder@example.com');
    expect(t.mail).toEqual([]);
  });

  it('fails with UnexpectedLambdaException when the named function does not exist', async () => {
    await expectCognitoError(
      invite({ UserPoolId: poolId, Username: 'missing@example.com' }),
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
    const { User } = await invite({ UserPoolId: poolId, Username: 'again@example.com' });
    const first = temporaryPasswordIn(t.mail[0]!.text);

    t.clock.advance(5 * DAY);
    const resentAt = Date.now() + t.clock.offset;
    const { User: resent } = await invite({
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
    const stored = row(poolId, User!.Username!);
    expect(verifyPassword(second, stored.password_hash!, t.service.context.pepper)).toBe(true);
    expect(verifyPassword(first, stored.password_hash!, t.service.context.pepper)).toBe(false);
    expect(stored.temp_password_expires_at).toBeGreaterThanOrEqual(resentAt + 7 * DAY - 1000);
    expect(sources).toEqual(['CustomMessage_AdminCreateUser', 'CustomMessage_AdminCreateUser']);
  });

  it('answers UserNotFoundException for an unknown user', async () => {
    const poolId = await newEmailPool(t);
    await expectCognitoError(
      invite({ UserPoolId: poolId, Username: 'ghost@example.com', MessageAction: 'RESEND' }),
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
      invite({ UserPoolId: poolId, Username: 'settled@example.com', MessageAction: 'RESEND' }),
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
      invite({ UserPoolId: poolId, Username: 'undelivered@example.com' }),
      'CodeDeliveryFailureException',
    );
    const got = await t.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'undelivered@example.com' }),
    );
    expect(got.UserStatus).toBe('FORCE_CHANGE_PASSWORD');

    t.service.context.mailer = mailer;
    await invite({ UserPoolId: poolId, Username: 'undelivered@example.com', MessageAction: 'RESEND' });
    expect(t.mail.map((mail) => mail.to)).toEqual(['undelivered@example.com']);
  });
});

describe('AdminGetUser / AdminDeleteUser', () => {
  it('answers UserNotFoundException for an unknown user, and for a deleted one', async () => {
    const poolId = await newEmailPool(t);
    await expectNoUser(poolId, 'nobody@example.com');
    await t.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'team' }));
    await newUser(t, poolId, 'leaving@example.com');
    await t.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: poolId,
        Username: 'leaving@example.com',
        GroupName: 'team',
      }),
    );
    await t.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'Leaving@example.com' }));
    await expectNoUser(poolId, 'leaving@example.com');
    const { Users } = await t.client.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'team' }),
    );
    expect(Users).toEqual([]);
    await expectCognitoError(
      t.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: 'leaving@example.com' })),
      'UserNotFoundException',
    );
    // The address is free again.
    await newUser(t, poolId, 'leaving@example.com');
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    await expectCognitoError(
      t.client.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_Nope12345', Username: 'x' })),
      'ResourceNotFoundException',
    );
  });
});

describe('AdminDisableUser / AdminEnableUser', () => {
  it('disables a user and ends the tokens issued so far, then enables it again', async () => {
    const poolId = await newEmailPool(t);
    const User = await newUser(t, poolId, 'toggle@example.com');
    expect(row(poolId, User.Username!).tokens_valid_after).toBe(0);
    t.clock.advance(DAY);
    const disabledAt = Date.now() + t.clock.offset;
    await t.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'toggle@example.com' }));
    const disabled = await t.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'toggle@example.com' }),
    );
    expect(disabled.Enabled).toBe(false);
    expect(row(poolId, User.Username!).tokens_valid_after).toBeGreaterThanOrEqual(disabledAt);

    await t.client.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: 'toggle@example.com' }));
    const enabled = await t.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'toggle@example.com' }),
    );
    expect(enabled.Enabled).toBe(true);
    await expectCognitoError(
      t.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'ghost@example.com' })),
      'UserNotFoundException',
    );
  });
});

describe('AdminUpdateUserAttributes / AdminDeleteUserAttributes', () => {
  it('changes attributes, and a new email moves the sign-in name', async () => {
    const poolId = await newEmailPool(t);
    const User = await newUser(t, poolId, 'old@example.com', {
      UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
    });
    t.clock.advance(60_000);
    await t.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'old@example.com',
        UserAttributes: [
          { Name: 'email', Value: 'New@Example.com' },
          { Name: 'given_name', Value: 'Nova' },
        ],
      }),
    );
    const got = await t.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'new@example.com' }),
    );
    expect(got.Username).toBe(User.Username);
    expect(attribute(got.UserAttributes, 'email')).toBe('New@Example.com');
    expect(attribute(got.UserAttributes, 'given_name')).toBe('Nova');
    expect(attribute(got.UserAttributes, 'email_verified')).toBe('false');
    expect(attribute(got.UserAttributes, 'sub')).toBe(User.Username);
    expect(got.UserLastModifiedDate!.getTime()).toBeGreaterThan(got.UserCreateDate!.getTime());
    await expectNoUser(poolId, 'old@example.com');
    const { Users } = await t.client.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "new@example.com"' }),
    );
    expect(Users?.map((user) => user.Username)).toEqual([User.Username]);

    await t.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'new@example.com',
        UserAttributes: [
          { Name: 'email', Value: 'newer@example.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    const verified = await t.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'newer@example.com' }),
    );
    expect(attribute(verified.UserAttributes, 'email_verified')).toBe('true');
  });

  it('refuses sub, unknown attributes and an email another user has', async () => {
    const poolId = await newEmailPool(t);
    await newUser(t, poolId, 'first@example.com');
    await newUser(t, poolId, 'second@example.com');
    const update = (UserAttributes: { Name: string; Value: string }[]) =>
      t.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: 'second@example.com',
          UserAttributes,
        }),
      );
    await expectCognitoError(
      update([{ Name: 'sub', Value: '00000000-0000-0000-0000-000000000000' }]),
      'InvalidParameterException',
      'Cannot modify the non-mutable attribute sub',
    );
    await expectCognitoError(
      update([{ Name: 'shoe_size', Value: '44' }]),
      'InvalidParameterException',
      'Attributes did not conform to the schema: shoe_size: Attribute does not exist in the schema.',
    );
    await expectCognitoError(
      update([{ Name: 'email', Value: 'FIRST@example.com' }]),
      'AliasExistsException',
      'An account with the given email already exists.',
    );
    await expectCognitoError(
      t.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: 'ghost@example.com',
          UserAttributes: [{ Name: 'name', Value: 'x' }],
        }),
      ),
      'UserNotFoundException',
    );
  });

  it('deletes attributes, but not sub', async () => {
    const poolId = await newPool(t);
    await newUser(t, poolId, 'trim', {
      UserAttributes: [
        { Name: 'nickname', Value: 'T' },
        { Name: 'locale', Value: 'en' },
      ],
    });
    await t.client.send(
      new AdminDeleteUserAttributesCommand({
        UserPoolId: poolId,
        Username: 'trim',
        UserAttributeNames: ['nickname'],
      }),
    );
    const got = await t.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'trim' }));
    expect(got.UserAttributes?.map((item) => item.Name)).toEqual(['sub', 'locale']);
    await expectCognitoError(
      t.client.send(
        new AdminDeleteUserAttributesCommand({
          UserPoolId: poolId,
          Username: 'trim',
          UserAttributeNames: ['sub'],
        }),
      ),
      'InvalidParameterException',
    );
  });
});

describe('AdminSetUserPassword', () => {
  it('sets a permanent password (CONFIRMED) or a temporary one (FORCE_CHANGE_PASSWORD, new expiry)', async () => {
    const poolId = await newEmailPool(t);
    const User = await newUser(t, poolId, 'pw@example.com');
    await t.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'pw@example.com',
        Password: 'Perm-pass-1',
        Permanent: true,
      }),
    );
    let stored = row(poolId, User.Username!);
    expect(stored.status).toBe('CONFIRMED');
    expect(stored.temp_password_expires_at).toBeNull();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(verifyPassword('Perm-pass-1', stored.password_hash!, t.service.context.pepper)).toBe(true);
    const got = await t.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'pw@example.com' }),
    );
    expect(got.UserStatus).toBe('CONFIRMED');

    t.clock.advance(2 * DAY);
    const setAt = Date.now() + t.clock.offset;
    await t.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: 'pw@example.com',
        Password: 'Temp-pass-2',
      }),
    );
    stored = row(poolId, User.Username!);
    expect(stored.status).toBe('FORCE_CHANGE_PASSWORD');
    expect(verifyPassword('Temp-pass-2', stored.password_hash!, t.service.context.pepper)).toBe(true);
    expect(stored.temp_password_expires_at).toBeGreaterThanOrEqual(setAt + 7 * DAY - 1000);
  });

  it('refuses a password against the policy, and an unknown user', async () => {
    const poolId = await newEmailPool(t);
    await newUser(t, poolId, 'weak@example.com');
    const set = (Password: string) =>
      t.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: 'weak@example.com',
          Password,
          Permanent: true,
        }),
      );
    await expectCognitoError(
      set('short'),
      'InvalidPasswordException',
      'Password did not conform with policy: Password not long enough',
    );
    await expectCognitoError(
      set('nouppercase-1'),
      'InvalidPasswordException',
      'Password did not conform with policy: Password must have uppercase characters',
    );
    await expectCognitoError(
      set(' Leading-space-1'),
      'InvalidParameterException',
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
    );
    await expectCognitoError(
      t.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: 'ghost@example.com',
          Password: 'Perm-pass-1',
        }),
      ),
      'UserNotFoundException',
    );
  });
});

describe('group membership', () => {
  let poolId: string;
  beforeAll(async () => {
    poolId = await newEmailPool(t);
    for (const GroupName of ['Full-access', 'Manage-only', 'readers']) {
      await t.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName }));
    }
  });

  it('adds (idempotently), lists and removes group memberships, by email', async () => {
    const User = await newUser(t, poolId, 'member@example.com');
    const add = (GroupName: string) =>
      t.client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'Member@example.com', GroupName }),
      );
    await add('readers');
    await add('Full-access');
    await add('Full-access');
    const { Groups } = await t.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'member@example.com' }),
    );
    expect(Groups?.map((group) => group.GroupName)).toEqual(['Full-access', 'readers']);
    expect(Groups?.[0]).toMatchObject({ UserPoolId: poolId });

    const firstPage = await t.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: User.Username, Limit: 1 }),
    );
    expect(firstPage.Groups?.map((group) => group.GroupName)).toEqual(['Full-access']);
    const secondPage = await t.client.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: poolId,
        Username: User.Username,
        Limit: 1,
        NextToken: firstPage.NextToken,
      }),
    );
    expect(secondPage.Groups?.map((group) => group.GroupName)).toEqual(['readers']);
    expect(secondPage.NextToken).toBeUndefined();

    const { Users } = await t.client.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'Full-access' }),
    );
    expect(Users?.map((user) => user.Username)).toEqual([User.Username]);
    expect(attribute(Users?.[0]?.Attributes, 'email')).toBe('member@example.com');

    await t.client.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: poolId,
        Username: 'member@example.com',
        GroupName: 'Full-access',
      }),
    );
    const after = await t.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'member@example.com' }),
    );
    expect(after.Groups?.map((group) => group.GroupName)).toEqual(['readers']);
  });

  it('answers ResourceNotFoundException for a missing group and UserNotFoundException for a missing user', async () => {
    await newUser(t, poolId, 'lonely@example.com');
    await expectCognitoError(
      t.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: poolId,
          Username: 'lonely@example.com',
          GroupName: 'nope',
        }),
      ),
      'ResourceNotFoundException',
      'Group not found.',
    );
    await expectCognitoError(
      t.client.send(
        new AdminRemoveUserFromGroupCommand({
          UserPoolId: poolId,
          Username: 'lonely@example.com',
          GroupName: 'nope',
        }),
      ),
      'ResourceNotFoundException',
      'Group not found.',
    );
    await expectCognitoError(
      t.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: poolId,
          Username: 'ghost@example.com',
          GroupName: 'readers',
        }),
      ),
      'UserNotFoundException',
      'User does not exist.',
    );
    await expectCognitoError(
      t.client.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })),
      'ResourceNotFoundException',
      'Group not found.',
    );
    await expectCognitoError(
      t.client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ghost@example.com' })),
      'UserNotFoundException',
    );
  });

  it('pages ListUsersInGroup past 60 members: all present, none twice', async () => {
    const pool = await newEmailPool(t);
    await t.client.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: 'crowd' }));
    const expected = new Set<string>();
    for (let i = 0; i < 130; i++) {
      const User = await newUser(t, pool, `crowd${i}@example.com`);
      expected.add(User.Username!);
      await t.client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: pool, Username: User.Username, GroupName: 'crowd' }),
      );
    }
    for (const limit of [60, 25]) {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await t.client.send(
          new ListUsersInGroupCommand({
            UserPoolId: pool,
            GroupName: 'crowd',
            Limit: limit,
            NextToken: token,
          }),
        );
        expect(page.Users!.length).toBeLessThanOrEqual(limit);
        seen.push(...page.Users!.map((user) => user.Username!));
        token = page.NextToken;
        pages++;
      } while (token);
      expect(pages).toBe(Math.ceil(130 / limit));
      expect(new Set(seen).size).toBe(seen.length);
      expect(new Set(seen)).toEqual(expected);
    }
    await expectCognitoError(
      t.client.send(new ListUsersInGroupCommand({ UserPoolId: pool, GroupName: 'crowd', Limit: 61 })),
      'InvalidParameterException',
      "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  });
});
