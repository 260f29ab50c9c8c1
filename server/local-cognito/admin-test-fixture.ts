// Helpers for the admin conformance suites (pools, users, list-users, persistence).
import {
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  AdminGetUserCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import type { TestService } from './test-support';

/** Awaits `call` and checks it failed with Cognito's exception `name` (and `message`, when given). */
export async function expectCognitoError(call: Promise<unknown>, name: string, message?: string | RegExp) {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${name}`).toBeInstanceOf(Error);
  const { name: actualName, message: actualMessage } = error as Error;
  expect(actualName).toBe(name);
  if (typeof message === 'string') expect(actualMessage).toBe(message);
  else if (message) expect(actualMessage).toMatch(message);
}

export async function newPool(
  t: TestService,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  const { UserPool } = await t.client.send(new CreateUserPoolCommand({ PoolName: 'pool', ...input }));
  return UserPool!.Id!;
}

/** An email-as-username, case-insensitive pool: the shape Studio Access provisions. */
export function newEmailPool(t: TestService, input: Partial<CreateUserPoolCommandInput> = {}) {
  return newPool(t, {
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    ...input,
  });
}

export async function newUser(
  t: TestService,
  poolId: string,
  username: string,
  input: Partial<AdminCreateUserCommandInput> = {},
) {
  const { User } = await t.client.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      ...input,
    }),
  );
  return User!;
}

/** AdminCreateUser asking for the invitation by email (the way Studio Access invites). */
export function invite(t: TestService, input: AdminCreateUserCommandInput) {
  return t.client.send(new AdminCreateUserCommand({ DesiredDeliveryMediums: ['EMAIL'], ...input }));
}

export async function expectNoUser(t: TestService, poolId: string, username: string) {
  await expectCognitoError(
    t.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })),
    'UserNotFoundException',
    'User does not exist.',
  );
}

export interface StoredUser {
  status: string;
  password_hash: string | null;
  temp_password_expires_at: number | null;
  tokens_valid_after: number;
  enabled: number;
}

/** The stored row the auth operations read (password hash, temporary password expiry, token cut-off). */
export function storedUser(t: TestService, poolId: string, username: string): StoredUser {
  return t.service.context.db
    .prepare('SELECT * FROM users WHERE pool_id = ? AND username = ?')
    .get(poolId, username) as StoredUser;
}

/** The value of attribute `name` in an AttributeType list. */
export function attribute(list: { Name?: string; Value?: string }[] | undefined, name: string) {
  return list?.find((item) => item.Name === name)?.Value;
}

/** The temporary password in an invitation sent with Cognito's default text. */
export function temporaryPasswordIn(text: string): string {
  const match = /temporary password is (\S+)\.$/.exec(text);
  if (!match) throw new Error(`no temporary password in: ${text}`);
  return match[1]!;
}

/** A promise and the function that resolves it, for handlers that must wait on the test. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}
