// Sign-in under Cognito throttling: the one retry layer (server/cognito/throttle.ts) serves the
// sign-in and session calls as it serves the members rules. A Cognito endpoint below the SDK sits in
// front of the embedded service (with the app's triggers): it answers what a test scripts for an
// operation and passes every other request through, so the flows are real and only the throttling
// is made up. The call counter, which sees every request the SDK sends, shows what each outcome cost.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from '@/server/challenges/links';
import { getMemberAccess, initiateAuth, revokeSession } from '@/server/cognito/auth';
import { recordCognitoCalls } from '@/server/cognito/call-count';
import { createCognitoClient } from '@/server/cognito/client';
import { defaultRetryPolicy } from '@/server/cognito/throttle';
import type { SignInContext } from './context';
import { requestSignInLink, signInWithLink } from './links';
import { type SignInFixture, startSignInFixture } from './sign-in.fixture';

interface Scripted {
  status: number;
  type: string;
}
const THROTTLED: Scripted = { status: 400, type: 'TooManyRequestsException' };
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

let fixture: SignInFixture;
let proxy: http.Server;
let proxyClient: CognitoIdentityProviderClient;
/** The sign-in context with its Cognito calls going through the scripting endpoint. */
let ctx: SignInContext;
/** Answers to give, per operation, before requests of that operation pass through again. */
const script = new Map<string, Scripted[]>();
/** Requests the endpoint received, per operation (scripted or passed through). */
const received = new Map<string, number>();

beforeAll(async () => {
  fixture = await startSignInFixture();
  const upstream = new URL(fixture.service.url);
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
      received.set(operation, (received.get(operation) ?? 0) + 1);
      const answer = script.get(operation)?.shift();
      if (answer) {
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: answer.type, message: 'as scripted' }));
        return;
      }
      const forwarded = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          // The embedded service answers its own Host only.
          headers: { ...req.headers, host: upstream.host },
        },
        (answerFromService) => {
          res.writeHead(answerFromService.statusCode ?? 502, answerFromService.headers);
          answerFromService.pipe(res);
        },
      );
      forwarded.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyClient = createCognitoClient({
    identityBackend: 'local',
    cognitoEndpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    awsRegion: 'us-east-1',
  });
  ctx = { ...fixture.ctx, client: proxyClient };
});

afterAll(async () => {
  proxyClient?.destroy();
  if (proxy) {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  }
  await fixture?.close();
});

beforeEach(() => {
  script.clear();
  received.clear();
  fixture.backoffs.length = 0;
});

/** Scripts `answers` for each operation, in order, before its requests pass through again. */
function answer(operations: Record<string, Scripted[]>) {
  for (const [operation, answers] of Object.entries(operations)) script.set(operation, [...answers]);
}

/** Runs `work` and returns the Cognito attempts it made per operation, as the SDK client counted them. */
async function attempts<T>(work: () => Promise<T>) {
  const recording = recordCognitoCalls();
  try {
    const outcome = await work().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    const counts: Record<string, number> = {};
    for (const call of recording.calls) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    return { ...outcome, counts };
  } finally {
    recording.stop();
  }
}

describe('sign-in calls retry throttling, and only throttling', () => {
  it('sends a sign-in link after two throttled answers of each call it makes', async () => {
    const email = await fixture.member('manage');
    const before = fixture.mailTo(email).length;
    answer({
      ListUsers: [THROTTLED, THROTTLED],
      AdminInitiateAuth: [THROTTLED, THROTTLED],
      AdminRespondToAuthChallenge: [THROTTLED, THROTTLED],
    });

    const run = await attempts(() => requestSignInLink(email, ctx));

    expect(run).not.toHaveProperty('error');
    expect(fixture.mailTo(email)).toHaveLength(before + 1);
    expect(fixture.mailTo(email).at(-1)?.text).toMatch(/\/auth\/link#[A-Za-z0-9_-]{43}/);
    // Three attempts each, every one counted and every one a request the endpoint received.
    expect(run.counts).toEqual({ ListUsers: 3, AdminInitiateAuth: 3, AdminRespondToAuthChallenge: 3 });
    expect(Object.fromEntries(received)).toEqual(run.counts);
    expect(fixture.backoffs).toHaveLength(6);
  });

  it('signs in with a link after two throttled answers of each call, spending the link once', async () => {
    const email = await fixture.member('full');
    const secret = await fixture.mailedSecret(email);
    answer({
      AdminInitiateAuth: [THROTTLED, THROTTLED],
      AdminRespondToAuthChallenge: [THROTTLED, THROTTLED],
      AdminGetUser: [THROTTLED, THROTTLED],
    });

    const run = await attempts(() => signInWithLink(secret, ctx));

    expect(run).toMatchObject({ value: { email } });
    expect(run.counts).toEqual({ AdminInitiateAuth: 3, AdminRespondToAuthChallenge: 3, AdminGetUser: 3 });
    expect(Object.fromEntries(received)).toEqual(run.counts);
    // The two throttled answers left the session unspent; the third answer spent the link.
    expect((await fixture.ctx.challenges.inspect(hashSecret(secret), fixture.clock.now())).state).toBe(
      'used',
    );
    expect(fixture.backoffs).toHaveLength(6);
  });

  it.each([
    [{ status: 500, type: 'InternalErrorException' }, 'unavailable'],
    [{ status: 400, type: 'TooManyFailedAttemptsException' }, 'rate_limited'],
    [{ status: 400, type: 'InvalidParameterException' }, 'invalid_parameter'],
  ] as const)('tries a link sign-in answered %j once, and the link stays unspent', async (failure, code) => {
    const email = await fixture.member('full');
    const secret = await fixture.mailedSecret(email);
    answer({ AdminRespondToAuthChallenge: [failure] });

    const run = await attempts(() => signInWithLink(secret, ctx));

    expect(run).toMatchObject({ error: { code } });
    expect(run.counts).toEqual({ AdminInitiateAuth: 1, AdminRespondToAuthChallenge: 1 });
    expect(fixture.backoffs).toEqual([]);
    expect((await fixture.ctx.challenges.inspect(hashSecret(secret), fixture.clock.now())).state).toBe(
      'valid',
    );
  });

  it("retries the data access layer's re-check call by call, not both together", async () => {
    const email = await fixture.member('full');
    answer({ AdminListGroupsForUser: [THROTTLED, THROTTLED] });

    const run = await attempts(() => getMemberAccess(email, ctx));

    expect(run).toMatchObject({ value: { email, enabled: true, accessLevel: 'full' } });
    // The user record was read once; only the throttled group listing was sent again.
    expect(run.counts).toEqual({ AdminGetUser: 1, AdminListGroupsForUser: 3 });
  });

  it('revokes a session after throttled RevokeToken answers, without falling back to a global sign-out', async () => {
    const email = await fixture.member('full');
    const signedIn = await signInWithLink(await fixture.mailedSecret(email), fixture.ctx);
    expect(signedIn.refreshToken).toBeTruthy();
    answer({ RevokeToken: [THROTTLED, THROTTLED] });

    const run = await attempts(() => revokeSession(signedIn, ctx));

    expect(run).not.toHaveProperty('error');
    expect(run.counts).toEqual({ RevokeToken: 3 });
    // The third attempt reached Cognito: the refresh token no longer works.
    await expect(
      initiateAuth(fixture.ctx, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: signedIn.refreshToken ?? '' }),
    ).rejects.toMatchObject({ code: 'not_authorized' });
  });

  it(`gives up after ${defaultRetryPolicy.attempts} throttled attempts in all, each counted`, async () => {
    const email = await fixture.member('manage');
    const before = fixture.mailTo(email).length;
    answer({ AdminInitiateAuth: Array(defaultRetryPolicy.attempts).fill(THROTTLED) });

    const run = await attempts(() => requestSignInLink(email, ctx));

    expect(run).toMatchObject({ error: { code: 'rate_limited', source: 'TooManyRequestsException' } });
    expect(run.counts).toEqual({ ListUsers: 1, AdminInitiateAuth: defaultRetryPolicy.attempts });
    expect(fixture.mailTo(email)).toHaveLength(before);
  });
});
