// Test-only set-up for the sign-in suites, through the service's own admin operations over the SDK:
// pools, clients, users and groups as an administrator (or the app's provisioning) makes them.
import {
  AdminAddUserToGroupCommand,
  type AdminAddUserToGroupCommandInput,
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  type CreateGroupCommandInput,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import { randomString } from './crypto';
import type { TestService } from './test-support';

export async function createPool(t: TestService, input: CreateUserPoolCommandInput): Promise<string> {
  const { UserPool } = await t.client.send(new CreateUserPoolCommand(input));
  if (!UserPool?.Id) throw new Error('CreateUserPool returned no Id');
  return UserPool.Id;
}

export async function createClient(
  t: TestService,
  input: CreateUserPoolClientCommandInput,
): Promise<{ clientId: string; clientSecret: string | undefined }> {
  const { UserPoolClient } = await t.client.send(new CreateUserPoolClientCommand(input));
  if (!UserPoolClient?.ClientId) throw new Error('CreateUserPoolClient returned no ClientId');
  return { clientId: UserPoolClient.ClientId, clientSecret: UserPoolClient.ClientSecret };
}

/** AdminCreateUser with a TemporaryPassword and no message: the user is FORCE_CHANGE_PASSWORD. Returns the username. */
export async function createUser(t: TestService, input: AdminCreateUserCommandInput): Promise<string> {
  const { User } = await t.client.send(new AdminCreateUserCommand({ MessageAction: 'SUPPRESS', ...input }));
  if (!User?.Username) throw new Error('AdminCreateUser returned no Username');
  return User.Username;
}

/** AdminSetUserPassword with Permanent: true. */
export async function setPermanentPassword(
  t: TestService,
  poolId: string,
  username: string,
  password: string,
) {
  await t.client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: username,
      Password: password,
      Permanent: true,
    }),
  );
}

/** A CONFIRMED user with a permanent password (AdminCreateUser, then AdminSetUserPassword). */
export async function createConfirmedUser(
  t: TestService,
  input: Omit<AdminCreateUserCommandInput, 'TemporaryPassword'>,
  password: string,
): Promise<string> {
  const username = await createUser(t, { ...input, TemporaryPassword: `Tmp-${randomString(12)}A1!` });
  await setPermanentPassword(t, input.UserPoolId as string, username, password);
  return username;
}

export async function setUserEnabled(t: TestService, poolId: string, username: string, enabled: boolean) {
  const input = { UserPoolId: poolId, Username: username };
  await t.client.send(enabled ? new AdminEnableUserCommand(input) : new AdminDisableUserCommand(input));
}

export async function deleteUser(t: TestService, poolId: string, username: string) {
  await t.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: username }));
}

export async function createGroup(t: TestService, input: CreateGroupCommandInput) {
  await t.client.send(new CreateGroupCommand(input));
}

export async function addUserToGroup(t: TestService, input: AdminAddUserToGroupCommandInput) {
  await t.client.send(new AdminAddUserToGroupCommand(input));
}

/** The user's sub, as AdminGetUser reports it. */
export async function userSub(t: TestService, poolId: string, username: string): Promise<string> {
  const user = await t.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  const sub = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!sub) throw new Error('AdminGetUser returned no sub');
  return sub;
}

/** The user's status as AdminGetUser reports it. */
export async function userStatus(
  t: TestService,
  poolId: string,
  username: string,
): Promise<string | undefined> {
  const user = await t.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return user.UserStatus;
}

/** Awaits a call that must fail with the SDK exception class `type` and exactly `message`. */
export async function expectFailure(
  call: Promise<unknown>,
  type: abstract new (...args: never[]) => Error,
  message: string,
): Promise<void> {
  const error = await call.then(
    () => new Error('expected the call to fail, but it succeeded'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
}

/** The claims of a JWT, decoded without verification (the suites verify with aws-jwt-verify separately). */
export function claimsOf(token: string | undefined): Record<string, unknown> {
  const payload = token?.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
