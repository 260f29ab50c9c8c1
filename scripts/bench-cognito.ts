// Benchmark of the embedded identity service over loopback with the unmodified AWS SDK v3:
// AdminCreateUser throughput, ListUsers first page and `email ^=` prefix latency with 50,000 users in a
// pool, and the database size on disk.
//
//   npm run bench:cognito -- [--data-dir DIR] [--users 50000] [--sequential 2000] [--concurrency 8]
//
// Without --data-dir the service runs in a fresh temporary directory, removed afterwards; with it, an
// existing "bench" pool there is reused and only the missing users are created.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  AdminCreateUserCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DB_FILE } from '@/server/local-cognito/db';
import { startLocalCognito } from '@/server/local-cognito/server';
import { sdkClient } from '@/server/local-cognito/test-support';

const POOL_NAME = 'bench';

async function main() {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      users: { type: 'string', default: '50000' },
      sequential: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '8' },
      samples: { type: 'string', default: '200' },
    },
  });
  const total = Number(values.users);
  const sequentialTarget = Number(values.sequential);
  const concurrency = Number(values.concurrency);
  const samples = Number(values.samples);
  const temporary = values['data-dir'] === undefined;
  const dataDir = values['data-dir'] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cognito-'));

  const service = await startLocalCognito({ dataDir, port: 0, log: () => {} });
  const client = sdkClient(service.url);
  try {
    console.log(`local-cognito at ${service.url}, data in ${dataDir}`);
    const poolId = await findOrCreatePool(client);
    let count = await userCount(client, poolId);
    console.log(`pool ${poolId}: ${count} users`);

    // Warm up connections and prepared statements before timing (users created here count too).
    const warm = Math.min(300, Math.max(0, total - count));
    for (let i = 0; i < warm; i++) await createUser(client, poolId, count++);

    const sequential = Math.min(sequentialTarget, Math.max(0, total - count));
    if (sequential > 0) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const latencies: number[] = [];
      for (let i = 0; i < sequential; i++) {
        const callStarted = performance.now();
        await createUser(client, poolId, count++);
        latencies.push(performance.now() - callStarted);
      }
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      // CPU time (client and service together, this process) tells a busy machine from a slow service.
      const cpuPerCall = (used.user + used.system) / 1000 / sequential;
      console.log(
        `AdminCreateUser sequential: ${sequential} users in ${seconds.toFixed(2)} s = ${Math.round(sequential / seconds)} users/s (${cpuPerCall.toFixed(2)} ms CPU per call, SDK client included)`,
      );
      report(
        'AdminCreateUser sequential, per call',
        latencies.sort((a, b) => a - b),
      );
    }

    console.log(
      `  for scale: the same SDK call against a do-nothing HTTP server: ${Math.round(await sdkFloor())} calls/s`,
    );

    const rest = Math.max(0, total - count);
    if (rest > 0) {
      const started = performance.now();
      let next = count;
      const end = count + rest;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < end) await createUser(client, poolId, next++);
        }),
      );
      count = end;
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `AdminCreateUser concurrency ${concurrency}: ${rest} users in ${seconds.toFixed(2)} s = ${Math.round(rest / seconds)} users/s`,
      );
    }
    console.log(`pool now holds ${await userCount(client, poolId)} users`);

    const firstPage = await timeCalls(samples, async () => {
      const page = await client.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60 }));
      if (page.Users?.length !== Math.min(60, count)) throw new Error('short first page');
    });
    report('ListUsers first page (Limit 60)', firstPage);

    const prefix = await timeCalls(samples, async (i) => {
      const value = `user${10 + (i % 90)}`;
      const page = await client.send(
        new ListUsersCommand({ UserPoolId: poolId, Limit: 60, Filter: `email ^= "${value}"` }),
      );
      if (count >= 100 && !page.Users?.length) throw new Error(`no users for prefix ${value}`);
    });
    report('ListUsers email ^= "userNN" (Limit 60)', prefix);

    const exact = await timeCalls(samples, async (i) => {
      const page = await client.send(
        new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${emailOf((i * 7919) % count)}"` }),
      );
      if (page.Users?.length !== 1) throw new Error('exact email filter did not find the user');
    });
    report('ListUsers email = "..."', exact);

    service.context.db.pragma('wal_checkpoint(PASSIVE)');
    const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
    const db = path.join(dataDir, DB_FILE);
    const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log(
      `database on disk: ${mb(size(db) + size(`${db}-wal`))} (db ${mb(size(db))}, wal ${mb(size(`${db}-wal`))})`,
    );
  } finally {
    client.destroy();
    await service.close();
    if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const emailOf = (i: number) => `user${i}@example.com`;

async function createUser(client: CognitoIdentityProviderClient, poolId: string, i: number) {
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: emailOf(i),
      MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email_verified', Value: 'true' }],
    }),
  );
}

/**
 * Sequential AdminCreateUser calls per second against an HTTP server that answers at once: what the SDK
 * client and loopback HTTP cost by themselves on this machine, the ceiling for the figure above.
 */
async function sdkFloor(): Promise<number> {
  const body = JSON.stringify({
    User: {
      Username: 'u',
      Attributes: [],
      UserCreateDate: 0,
      UserLastModifiedDate: 0,
      Enabled: true,
      UserStatus: 'FORCE_CHANGE_PASSWORD',
    },
  });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'Content-Type': 'application/x-amz-json-1.1',
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const client = sdkClient(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  try {
    for (let i = 0; i < 300; i++) await createUser(client, 'us-east-1_floor', i);
    const started = performance.now();
    const calls = 2000;
    for (let i = 0; i < calls; i++) await createUser(client, 'us-east-1_floor', i);
    return calls / ((performance.now() - started) / 1000);
  } finally {
    client.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function findOrCreatePool(client: CognitoIdentityProviderClient): Promise<string> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: token }));
    const found = page.UserPools?.find((pool) => pool.Name === POOL_NAME);
    if (found?.Id) return found.Id;
    token = page.NextToken;
  } while (token);
  const created = await client.send(
    new CreateUserPoolCommand({
      PoolName: POOL_NAME,
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    }),
  );
  return created.UserPool!.Id!;
}

async function userCount(client: CognitoIdentityProviderClient, poolId: string): Promise<number> {
  const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  return UserPool?.EstimatedNumberOfUsers ?? 0;
}

async function timeCalls(samples: number, call: (i: number) => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await call(i);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await call(i);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

function report(label: string, sorted: number[]) {
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  console.log(
    `${label}: p50 ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms (${sorted.length} calls)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
