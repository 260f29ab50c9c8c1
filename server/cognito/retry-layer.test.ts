// One retry layer for Cognito throttling: withThrottleRetry over a client that makes one attempt per
// call. A Cognito endpoint below the SDK (plain HTTP) answers as told; the call counter, which sees
// every request the SDK sends, shows how many attempts each outcome cost in total.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordCognitoCalls } from '@/server/cognito/call-count';
import { type CognitoContext, createCognitoClient } from '@/server/cognito/client';
import { listUserRecords } from '@/server/cognito/members';
import { defaultRetryPolicy, type RetryPolicy, withThrottleRetry } from './throttle';

/** What the endpoint answers, request by request; the last entry repeats. */
type Answer = 'ok' | { status: number; type: string };
let script: Answer[] = [];
let requests = 0;
let server: http.Server;
let ctx: CognitoContext;

const THROTTLED: Answer = { status: 400, type: 'TooManyRequestsException' };

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = script[Math.min(requests, script.length - 1)] ?? 'ok';
      requests++;
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (answer === 'ok') {
        res.end(JSON.stringify({ Users: [{ Username: 'u1', Attributes: [], Enabled: true }] }));
        return;
      }
      res.statusCode = answer.status;
      res.end(JSON.stringify({ __type: answer.type, message: 'as scripted' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = createCognitoClient({
    identityBackend: 'local',
    cognitoEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    awsRegion: 'us-east-1',
  });
  ctx = { client, poolId: 'us-east-1_retry', now: Date.now };
});

afterAll(async () => {
  ctx?.client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

let slept: number[] = [];
beforeEach(() => {
  requests = 0;
  slept = [];
});

/** The console's policy, with its waits recorded instead of waited. */
const policy = (): RetryPolicy => ({
  ...defaultRetryPolicy,
  sleep: async (ms) => {
    slept.push(ms);
  },
});

async function listOnce() {
  const recording = recordCognitoCalls();
  try {
    return {
      result: await withThrottleRetry(() => listUserRecords(ctx, { limit: 5 }), policy()).then(
        (page) => ({ ok: page.members.length }),
        (error: unknown) => ({ error }),
      ),
      attempts: recording.count('ListUsers'),
    };
  } finally {
    recording.stop();
  }
}

describe('one retry layer for Cognito throttling', () => {
  it('retries TooManyRequestsException until it succeeds, one request per attempt', async () => {
    script = [THROTTLED, THROTTLED, 'ok'];
    const { result, attempts } = await listOnce();
    expect(result).toEqual({ ok: 1 });
    expect(attempts).toBe(3);
    expect(requests).toBe(3);
    expect(slept).toHaveLength(2);
  });

  it(`gives up after ${defaultRetryPolicy.attempts} attempts in all, each counted`, async () => {
    script = [THROTTLED];
    const { result, attempts } = await listOnce();
    expect(result).toEqual({ error: expect.objectContaining({ code: 'rate_limited' }) });
    // Not multiplied by SDK retries under each attempt.
    expect(attempts).toBe(defaultRetryPolicy.attempts);
    expect(requests).toBe(defaultRetryPolicy.attempts);
    expect(slept).toHaveLength(defaultRetryPolicy.attempts - 1);
  });

  it.each([
    [{ status: 500, type: 'InternalErrorException' }, 'unavailable'],
    [{ status: 503, type: 'ServiceUnavailableException' }, 'unavailable'],
    [{ status: 400, type: 'TooManyFailedAttemptsException' }, 'rate_limited'],
    [{ status: 400, type: 'InvalidParameterException' }, 'invalid_parameter'],
  ] as const)('does not retry %j', async (answer, code) => {
    script = [answer, 'ok'];
    const { result, attempts } = await listOnce();
    expect(result).toEqual({ error: expect.objectContaining({ code }) });
    expect(attempts).toBe(1);
    expect(requests).toBe(1);
    expect(slept).toEqual([]);
  });
});
