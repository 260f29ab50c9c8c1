// Conformance: STS GetCallerIdentity through the unmodified @aws-sdk/client-sts, signed with the
// credentials GetCredentialsForIdentity issued: it names the role a member got, and refuses anything
// not signed with issued, current credentials.
import http from 'node:http';
import {
  type CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import {
  AdminAddUserToGroupCommand,
  AdminRemoveUserFromGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMember,
  createStudioPools,
  type IssuedCredentials,
  identityClient,
  idTokenOf,
  type StudioPools,
  stsClient,
} from '../identity/identity.fixture';
import { startTestService, type TestService } from '../test-support';

let t: TestService;
let identity: CognitoIdentityClient;
let pools: StudioPools;

beforeAll(async () => {
  t = await startTestService();
  identity = identityClient(t.service.url);
  pools = await createStudioPools(t, identity);
  await createMember(t, pools, 'full@example.com', ['Full-access']);
});

afterAll(async () => {
  identity.destroy();
  await t.close();
});

async function memberCredentials(email: string): Promise<IssuedCredentials> {
  const token = await idTokenOf(t, pools, email);
  const Logins = { [pools.provider]: token };
  const { IdentityId } = await identity.send(
    new GetIdCommand({ IdentityPoolId: pools.identityPoolId, Logins }),
  );
  const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
  return {
    accessKeyId: Credentials!.AccessKeyId!,
    secretAccessKey: Credentials!.SecretKey!,
    sessionToken: Credentials!.SessionToken!,
  };
}

async function callerIdentity(credentials: IssuedCredentials, options: { systemClockOffset?: number } = {}) {
  const sts = stsClient(t.service.url, credentials);
  if (options.systemClockOffset !== undefined) sts.config.systemClockOffset = options.systemClockOffset;
  try {
    return await sts.send(new GetCallerIdentityCommand({}));
  } finally {
    sts.destroy();
  }
}

async function failure(call: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const error = await call.then(
    () => new Error('expected the call to fail'),
    (caught: unknown) => caught as Error & { $metadata?: { httpStatusCode?: number } },
  );
  return {
    name: error.name,
    status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode,
  };
}

const assumedRole = (role: string) =>
  `arn:aws:sts::000000000000:assumed-role/${role}/CognitoIdentityCredentials`;

describe('STS GetCallerIdentity', () => {
  it('names the assumed role of a member signed with their issued credentials', async () => {
    const answer = await callerIdentity(await memberCredentials('full@example.com'));
    expect(answer.Arn).toBe(assumedRole(`${pools.userPoolId}_Full-access`));
    expect(answer.UserId).toMatch(/^AROA[A-Z2-7]{17}:CognitoIdentityCredentials$/);
    expect(answer.Account).toBe('000000000000');
  });

  it('refuses a request signed with the wrong secret key', async () => {
    const credentials = await memberCredentials('full@example.com');
    const last = credentials.secretAccessKey.at(-1) === 'A' ? 'B' : 'A';
    const wrong = { ...credentials, secretAccessKey: `${credentials.secretAccessKey.slice(0, -1)}${last}` };
    expect(await failure(callerIdentity(wrong))).toEqual({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  it('refuses a key it never issued, and issued credentials with a wrong or missing session token', async () => {
    const credentials = await memberCredentials('full@example.com');
    const unknown = { ...credentials, accessKeyId: 'ASIALOCALAAAAAAAAAAA' };
    expect(await failure(callerIdentity(unknown))).toEqual({ name: 'InvalidClientTokenId', status: 403 });
    expect(
      await failure(callerIdentity({ ...credentials, sessionToken: `${credentials.sessionToken}x` })),
    ).toEqual({
      name: 'InvalidClientTokenId',
      status: 403,
    });
    const { sessionToken: _, ...withoutToken } = credentials;
    expect(await failure(callerIdentity(withoutToken))).toEqual({
      name: 'InvalidClientTokenId',
      status: 403,
    });
  });

  it('refuses credentials once they expire (after one hour)', async () => {
    const credentials = await memberCredentials('full@example.com');
    t.clock.advance(60 * 60_000 + 1000);
    try {
      expect(await failure(callerIdentity(credentials))).toEqual({ name: 'ExpiredToken', status: 400 });
    } finally {
      t.clock.advance(-(60 * 60_000 + 1000));
    }
    expect((await callerIdentity(credentials)).Arn).toBe(assumedRole(`${pools.userPoolId}_Full-access`));
  });

  it('refuses a signature made more than 15 minutes off the service clock', async () => {
    const credentials = await memberCredentials('full@example.com');
    expect(await failure(callerIdentity(credentials, { systemClockOffset: -20 * 60_000 }))).toEqual({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
  });

  it('refuses an unsigned request', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const body = 'Action=GetCallerIdentity&Version=2011-06-15';
      const request = http.request(
        {
          host: '127.0.0.1',
          port: t.service.port,
          method: 'POST',
          path: '/',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': body.length },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => {
            text += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('gives a demoted member the Manage-only role with their next ID token', async () => {
    await createMember(t, pools, 'demoted@example.com', ['Full-access']);
    const before = await callerIdentity(await memberCredentials('demoted@example.com'));
    expect(before.Arn).toBe(assumedRole(`${pools.userPoolId}_Full-access`));

    const member = { UserPoolId: pools.userPoolId, Username: 'demoted@example.com' };
    await t.client.send(new AdminRemoveUserFromGroupCommand({ ...member, GroupName: 'Full-access' }));
    await t.client.send(new AdminAddUserToGroupCommand({ ...member, GroupName: 'Manage-only' }));

    const after = await callerIdentity(await memberCredentials('demoted@example.com'));
    expect(after.Arn).toBe(assumedRole(`${pools.userPoolId}_Manage-only`));
  });
});
