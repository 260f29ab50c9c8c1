// Conformance: AdminCreateUser (attributes, passwords, email as username, concurrency) and the other
// admin user operations, over HTTP with the unmodified AWS SDK v3. Invitations: invitations.test.ts.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  attribute,
  deferred,
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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let t: TestService;

beforeAll(async () => {
  t = await startTestService();
});

afterAll(async () => {
  await t.close();
});

afterEach(() => {
  t.clock.offset = 0;
  delete t.lambdas[CUSTOM_MESSAGE];
  t.mail.length = 0;
});

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
    const stored = storedUser(t, poolId, 'temp');
    expect(stored.status).toBe('FORCE_CHANGE_PASSWORD');
    expect(await verifyPassword('Temp-pass-1', stored.password_hash!, t.service.context.pepper)).toBe(true);
    expect(await verifyPassword('Temp-pass-2', stored.password_hash!, t.service.context.pepper)).toBe(false);
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
    await expectNoUser(t, sensitive, 'ALICE');
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
      await invite(t, {
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
      expect(
        await verifyPassword(
          password,
          storedUser(t, poolId, `gen${i}`).password_hash!,
          t.service.context.pepper,
        ),
      ).toBe(true);
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
      invite(t, { UserPoolId: racePool, Username: 'race@example.com' }),
      invite(t, { UserPoolId: racePool, Username: 'Race@Example.com' }),
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

describe('AdminGetUser / AdminDeleteUser', () => {
  it('answers UserNotFoundException for an unknown user, and for a deleted one', async () => {
    const poolId = await newEmailPool(t);
    await expectNoUser(t, poolId, 'nobody@example.com');
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
    await expectNoUser(t, poolId, 'leaving@example.com');
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
    expect(storedUser(t, poolId, User.Username!).tokens_valid_after).toBe(0);
    t.clock.advance(DAY);
    const disabledAt = Date.now() + t.clock.offset;
    await t.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'toggle@example.com' }));
    const disabled = await t.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'toggle@example.com' }),
    );
    expect(disabled.Enabled).toBe(false);
    expect(storedUser(t, poolId, User.Username!).tokens_valid_after).toBeGreaterThanOrEqual(disabledAt);

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
    await expectNoUser(t, poolId, 'old@example.com');
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
    let stored = storedUser(t, poolId, User.Username!);
    expect(stored.status).toBe('CONFIRMED');
    expect(stored.temp_password_expires_at).toBeNull();
    expect(stored.password_hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword('Perm-pass-1', stored.password_hash!, t.service.context.pepper)).toBe(true);
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
    stored = storedUser(t, poolId, User.Username!);
    expect(stored.status).toBe('FORCE_CHANGE_PASSWORD');
    expect(await verifyPassword('Temp-pass-2', stored.password_hash!, t.service.context.pepper)).toBe(true);
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
