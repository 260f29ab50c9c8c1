import http from 'node:http';
import { CreateUserPoolCommand, ListUserPoolsCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './test-support';

// A web page can reach 127.0.0.1 (directly, or by rebinding its own name there), but its requests
// carry an Origin and, once rebound, a foreign Host. The service must refuse both before any operation.

let t: TestService;

beforeAll(async () => {
  t = await startTestService();
});
afterAll(() => t.close());

interface Answer {
  status: number;
  body: { __type?: string; message?: string; UserPools?: unknown[]; IdentityPools?: unknown[] };
}

function post(operation: string, headers: Record<string, string>, body: unknown = {}): Promise<Answer> {
  return postRaw(
    {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': operation.includes('.') ? operation : `AWSCognitoIdentityProviderService.${operation}`,
      ...headers,
    },
    JSON.stringify(body),
  ).then(({ status, text }) => ({ status, body: JSON.parse(text) }));
}

function postRaw(headers: Record<string, string>, text: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: t.service.port,
        method: 'POST',
        path: '/',
        headers: { 'Content-Length': Buffer.byteLength(text), ...headers },
      },
      (response) => {
        let data = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          data += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: data }));
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

describe('the embedded service refuses browsers', () => {
  it('refuses a rebound page: a Host other than its own address', async () => {
    const answer = await post(
      'CreateUserPool',
      { Host: `evil.example:${t.service.port}` },
      { PoolName: 'x' },
    );
    expect(answer.status).toBe(403);
    expect(answer.body.__type).toBe('AccessDeniedException');
    expect(answer.body.message).toContain(`127.0.0.1:${t.service.port} or localhost:${t.service.port}`);
    const pools = await t.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools).toEqual([]);
  });

  it('refuses any request that carries an Origin, even with its own Host', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${t.service.port}`]) {
      const answer = await post(
        'CreateUserPool',
        { Host: `127.0.0.1:${t.service.port}`, Origin: origin },
        { PoolName: 'x' },
      );
      expect(answer.status).toBe(403);
      expect(answer.body.__type).toBe('AccessDeniedException');
    }
    const pools = await t.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(pools.UserPools).toEqual([]);
  });

  it('refuses a foreign Host on the token key endpoints too', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get(
          {
            host: '127.0.0.1',
            port: t.service.port,
            path: '/any/.well-known/jwks.json',
            headers: { Host: 'evil.example' },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        )
        .on('error', reject);
    });
    expect(status).toBe(403);
  });

  it('refuses Cognito Identity and STS requests from pages the same way, before they run', async () => {
    const ownHost = `127.0.0.1:${t.service.port}`;
    const fromPages: Record<string, string>[] = [
      { Host: ownHost, Origin: 'https://evil.example' },
      { Host: `evil.example:${t.service.port}` },
    ];
    for (const headers of fromPages) {
      const identity = await post('AWSCognitoIdentityService.CreateIdentityPool', headers, {
        IdentityPoolName: 'x',
        AllowUnauthenticatedIdentities: true,
      });
      expect(identity.status).toBe(403);
      expect(identity.body.__type).toBe('AccessDeniedException');

      const sts = await postRaw(
        { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        'Action=GetCallerIdentity&Version=2011-06-15',
      );
      expect(sts.status).toBe(403);
      expect(sts.text).toContain('<Code>AccessDenied</Code>');
    }
    const pools = await post(
      'AWSCognitoIdentityService.ListIdentityPools',
      { Host: ownHost },
      { MaxResults: 60 },
    );
    expect(pools).toEqual({ status: 200, body: { IdentityPools: [] } });
  });

  it('answers local programs: the SDK by 127.0.0.1 and a client that names localhost', async () => {
    await t.client.send(new CreateUserPoolCommand({ PoolName: 'local-program' }));
    const byName = await post('ListUserPools', { Host: `localhost:${t.service.port}` }, { MaxResults: 10 });
    expect(byName.status).toBe(200);
    expect(byName.body.UserPools).toHaveLength(1);
  });
});
