// Conformance: STS GetCallerIdentity through the unmodified @aws-sdk/client-sts, signed with the
// credentials GetCredentialsForIdentity issued: it names the role a member got, and refuses anything
// not signed with issued, current credentials.
import { createHash, createHmac } from 'node:crypto';
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
import { GetCallerIdentityCommand, STSClient, type STSClientConfig } from '@aws-sdk/client-sts';
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

const FORM = 'Action=GetCallerIdentity&Version=2011-06-15';

/** POSTs the GetCallerIdentity form with these extra headers, as a hand-made client would. */
function postForm(headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: t.service.port,
        method: 'POST',
        path: '/',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': FORM.length,
          ...headers,
        },
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
    request.end(FORM);
  });
}

/**
 * SigV4 headers for the form, signing only `names` (an independent, minimal signer: the service's
 * own one is what is under test).
 */
function signedHeaders(
  credentials: IssuedCredentials,
  names: string[],
  scopeDate?: string,
): Record<string, string> {
  const amzDate = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const date = scopeDate ?? amzDate.slice(0, 8);
  const values: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    host: `127.0.0.1:${t.service.port}`,
    'x-amz-date': amzDate,
  };
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const canonical = [
    'POST',
    '/',
    '',
    ...names.map((name) => `${name}:${values[name]}`),
    '',
    names.join(';'),
    hash(FORM),
  ];
  const scope = `${date}/us-east-1/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, hash(canonical.join('\n'))].join('\n');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of ['us-east-1', 'sts', 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return {
    'X-Amz-Date': amzDate,
    'X-Amz-Security-Token': credentials.sessionToken ?? '',
    Authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
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

  it('refuses a signature scoped to another service', async () => {
    const credentials = await memberCredentials('full@example.com');
    // signingName is not in the client's typed configuration, but its SigV4 signer honours it.
    const config: STSClientConfig & { signingName: string } = {
      endpoint: t.service.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      signingName: 'iam',
    };
    const iam = new STSClient(config);
    try {
      expect(await failure(iam.send(new GetCallerIdentityCommand({})))).toEqual({
        name: 'SignatureDoesNotMatch',
        status: 403,
      });
    } finally {
      iam.destroy();
    }
  });

  it('refuses a signature made more than 15 minutes off the service clock', async () => {
    const credentials = await memberCredentials('full@example.com');
    expect(await failure(callerIdentity(credentials, { systemClockOffset: -20 * 60_000 }))).toEqual({
      name: 'SignatureDoesNotMatch',
      status: 403,
    });
  });

  it('refuses an unsigned request', async () => {
    const answer = await postForm({});
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('refuses a signature that leaves the Host header out', async () => {
    const credentials = await memberCredentials('full@example.com');
    const withHost = await postForm(signedHeaders(credentials, ['content-type', 'host', 'x-amz-date']));
    expect(withHost.status).toBe(200);
    const withoutHost = await postForm(signedHeaders(credentials, ['content-type', 'x-amz-date']));
    expect(withoutHost.status).toBe(403);
    expect(withoutHost.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses a credential scope dated another day than the request', async () => {
    const credentials = await memberCredentials('full@example.com');
    const answer = await postForm(
      signedHeaders(credentials, ['content-type', 'host', 'x-amz-date'], '20200101'),
    );
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('<Code>SignatureDoesNotMatch</Code>');
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
