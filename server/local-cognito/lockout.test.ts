// Conformance: Cognito's lockout after consecutive wrong passwords, and password checks that leave
// the event loop free — driven over HTTP with the unmodified AWS SDK v3.
import fs from 'node:fs';
import {
  AdminInitiateAuthCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createClient,
  createConfirmedUser,
  createPool,
  createUser,
  expectFailure,
} from './auth-test-fixture';
import { lockoutMs } from './lockout';
import { makeTempDir, startTestService, type TestService } from './test-support';

const PASSWORD = 'Corr3ct-Horse!';
const WRONG = 'Wr0ng-Horse!';
const EXCEEDED = 'Password attempts exceeded';
const INCORRECT = 'Incorrect username or password.';

let t: TestService;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  t = await startTestService();
  poolId = await createPool(t, { PoolName: 'lockout-suite' });
  ({ clientId } = await createClient(t, {
    UserPoolId: poolId,
    ClientName: 'web',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'],
  }));
});

afterAll(async () => {
  await t.close();
});

beforeEach(() => {
  t.clock.frozenAt = Date.now();
});

afterEach(() => {
  t.clock.offset = 0;
  t.clock.frozenAt = undefined;
});

let counter = 0;
async function newUser(): Promise<string> {
  counter += 1;
  return createConfirmedUser(
    t,
    {
      UserPoolId: poolId,
      Username: `user-${counter}`,
      UserAttributes: [{ Name: 'email', Value: `u${counter}@example.com` }],
    },
    PASSWORD,
  );
}

function signIn(username: string, password: string) {
  return t.client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

function adminSignIn(username: string, password: string) {
  return t.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

async function wrongTimes(username: string, times: number) {
  for (let i = 0; i < times; i++)
    await expectFailure(signIn(username, WRONG), NotAuthorizedException, INCORRECT);
}

describe('lockout after wrong passwords', () => {
  it('refuses even the right password after 5 wrong ones, for 1 s and then doubling; a success resets it', async () => {
    const username = await newUser();
    await wrongTimes(username, 5);
    await expectFailure(signIn(username, PASSWORD), NotAuthorizedException, EXCEEDED);
    // Attempts during a lockout are not counted: the lockout stays 1 s.
    await expectFailure(signIn(username, WRONG), NotAuthorizedException, EXCEEDED);
    t.clock.advance(999);
    await expectFailure(signIn(username, PASSWORD), NotAuthorizedException, EXCEEDED);
    t.clock.advance(1);
    // The sixth wrong password locks for 2 s.
    await expectFailure(signIn(username, WRONG), NotAuthorizedException, INCORRECT);
    await expectFailure(signIn(username, PASSWORD), NotAuthorizedException, EXCEEDED);
    t.clock.advance(1999);
    await expectFailure(adminSignIn(username, PASSWORD), NotAuthorizedException, EXCEEDED);
    t.clock.advance(1);
    expect((await signIn(username, PASSWORD)).AuthenticationResult?.AccessToken).toBeTruthy();

    // The success started the count again: five more wrong passwords before the next lockout.
    await wrongTimes(username, 5);
    await expectFailure(signIn(username, PASSWORD), NotAuthorizedException, EXCEEDED);
  });

  it('grows to about 15 minutes and no further', async () => {
    expect([5, 6, 7, 14].map(lockoutMs)).toEqual([1000, 2000, 4000, 512_000]);
    expect(lockoutMs(15)).toBe(15 * 60_000);
    expect(lockoutMs(1000)).toBe(15 * 60_000);
    expect(lockoutMs(4)).toBe(0);

    const username = await newUser();
    await wrongTimes(username, 5);
    for (let failures = 5; failures <= 15; failures++) {
      t.clock.advance(lockoutMs(failures));
      await expectFailure(signIn(username, WRONG), NotAuthorizedException, INCORRECT);
    }
    // Sixteen wrong passwords: still 15 minutes, not 32 000 s.
    t.clock.advance(15 * 60_000 - 1);
    await expectFailure(signIn(username, PASSWORD), NotAuthorizedException, EXCEEDED);
    t.clock.advance(1);
    expect((await signIn(username, PASSWORD)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('applies to temporary passwords (ADMIN_USER_PASSWORD_AUTH, as /invite signs in)', async () => {
    counter += 1;
    const temporary = `Temp-${counter}-Passw0rd!`;
    const username = await createUser(t, {
      UserPoolId: poolId,
      Username: `invited-${counter}`,
      TemporaryPassword: temporary,
    });
    for (let i = 0; i < 5; i++) {
      await expectFailure(adminSignIn(username, WRONG), NotAuthorizedException, INCORRECT);
    }
    await expectFailure(adminSignIn(username, temporary), NotAuthorizedException, EXCEEDED);
    t.clock.advance(1000);
    expect((await adminSignIn(username, temporary)).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('keeps the count in the database: a restart does not end a lockout', async () => {
    const first = await startTestService(makeTempDir());
    try {
      first.clock.frozenAt = Date.now();
      const pool = await createPool(first, { PoolName: 'restart' });
      const { clientId: web } = await createClient(first, {
        UserPoolId: pool,
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      });
      await createConfirmedUser(first, { UserPoolId: pool, Username: 'kept' }, PASSWORD);
      const attempt = (service: TestService, password: string) =>
        service.client.send(
          new InitiateAuthCommand({
            ClientId: web,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: 'kept', PASSWORD: password },
          }),
        );
      // Ten wrong passwords: locked out for 32 s from the last one.
      for (let failures = 0; failures < 10; failures++) {
        if (failures >= 5) first.clock.advance(lockoutMs(failures));
        await expectFailure(attempt(first, WRONG), NotAuthorizedException, INCORRECT);
      }
      await first.close();
      const second = await startTestService(first.dataDir);
      try {
        second.clock.frozenAt = first.clock.frozenAt;
        second.clock.offset = first.clock.offset;
        second.clock.advance(lockoutMs(10) - 1);
        await expectFailure(attempt(second, PASSWORD), NotAuthorizedException, EXCEEDED);
        second.clock.advance(1);
        expect((await attempt(second, PASSWORD)).AuthenticationResult?.AccessToken).toBeTruthy();
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(first.dataDir, { recursive: true, force: true });
    }
  });

  it('counts 20 concurrent wrong passwords so that only 5 are checked', async () => {
    const username = await newUser();
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => signIn(username, WRONG)));
    const messages = results.map((result) =>
      result.status === 'rejected' ? (result.reason as Error).message : 'ok',
    );
    expect(messages.filter((message) => message === INCORRECT)).toHaveLength(5);
    expect(messages.filter((message) => message === EXCEEDED)).toHaveLength(15);
    await expectFailure(signIn(username, PASSWORD), NotAuthorizedException, EXCEEDED);
  });
});

describe('password checks off the event loop', () => {
  it('answers a cheap request while 20 wrong passwords are being checked', async () => {
    // Five users, four wrong passwords each: twenty checks, none of them refused by a lockout.
    const usernames: string[] = [];
    for (let i = 0; i < 5; i++) usernames.push(await newUser());
    const order: string[] = [];
    const checks = usernames
      .flatMap((username) => [username, username, username, username])
      .map((username) =>
        signIn(username, WRONG).then(
          () => order.push('signed in'),
          (error: Error) => order.push(error.message),
        ),
      );
    // Sent after all twenty: a blocking scrypt would make it wait for at least one of them (each
    // takes 75-170 ms), while a check on the thread pool leaves the event loop free to answer at once.
    const cheap = t.client
      .send(new DescribeUserPoolCommand({ UserPoolId: poolId }))
      .then(() => order.push('described'));
    await Promise.all([...checks, cheap]);
    expect(order[0]).toBe('described');
    expect(order.slice(1)).toEqual(Array.from({ length: 20 }, () => INCORRECT));
  });
});
