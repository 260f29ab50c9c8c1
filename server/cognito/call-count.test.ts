import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cognitoCallCounts, recordCognitoCalls } from './call-count';
import { createCognitoClient } from './client';

// A Cognito endpoint that throttles the first request it gets, then answers: the counter sees the
// failed attempt and the answered one (the client makes one attempt per send; retrying is the
// caller's, server/cognito/throttle.ts).
let server: http.Server;
let endpoint: string;
let requests = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (requests === 1) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'TooManyRequestsException', message: 'Rate exceeded' }));
        return;
      }
      res.end(JSON.stringify({ Users: [{ Username: 'u1', Attributes: [], Enabled: true }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('Cognito call counter', () => {
  it('counts every attempt per operation, failed ones included', async () => {
    const client = createCognitoClient({
      identityBackend: 'local',
      cognitoEndpoint: endpoint,
      awsRegion: 'x',
    });
    const before = cognitoCallCounts().ListUsers ?? 0;
    const recording = recordCognitoCalls();
    try {
      const list = () => client.send(new ListUsersCommand({ UserPoolId: 'us-east-1_abc', Limit: 5 }));
      await expect(list()).rejects.toMatchObject({ name: 'TooManyRequestsException' });
      const page = await list();
      expect(page.Users).toHaveLength(1);
    } finally {
      recording.stop();
      client.destroy();
    }
    expect(requests).toBe(2);
    expect(recording.calls).toEqual([
      { operation: 'ListUsers', input: expect.objectContaining({ Limit: 5 }), users: 0 },
      { operation: 'ListUsers', input: expect.objectContaining({ Limit: 5 }), users: 1 },
    ]);
    expect(recording.count('ListUsers')).toBe(2);
    expect(cognitoCallCounts().ListUsers).toBe(before + 2);
  });
});
