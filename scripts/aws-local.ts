// `npm run aws:local`: AWS mode on this machine, on real local engines. dynalite (DynamoDB),
// aws-ses-v2-local (SES) and the embedded identity service with the four triggers wired as the Lambda
// entry points wire them (the DynamoDB challenge store, the SES mailer); the table and the pool created
// as the stack defines them; then `--instances N` standalone consoles (`node server.js`) in AWS mode,
// configured only through the console's variables and the SDK's AWS_ENDPOINT_URL_* variables, sharing
// one SESSION_SECRET, table and pool. Each instance is reached on its own port (PUBLIC_URL = its URL).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import sesLocal from 'aws-ses-v2-local';
import dynalite from 'dynalite';
import { ConfigError, loadEnv } from '@/server/env';
import { createStudioTable } from '@/server/storage/dynamodb-table';
import { runNextBuild, staleBuildReason } from './next-build';

const root = path.resolve(__dirname, '..');
const REGION = 'us-east-1';
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
const TABLE = 'studio-local';
const APP_ID = 'awslocal';
const SHORT_CODE = 'awslocal';
const MAIL_FROM = 'Studio <no-reply@studio.example.com>';
const ADMIN_EMAIL = 'admin@example.com';

interface Options {
  instances: number;
  portBase: number;
  /** Added before each answer of the embedded identity service, ms. */
  cognitoLatencyMs: number;
  /** Keep the engines' data here; a fresh temporary directory (DynamoDB in memory) otherwise. */
  dataDir: string | undefined;
}

function usage(problem: string): never {
  process.stderr.write(
    `aws:local: ${problem}\nusage: npm run aws:local -- [--instances N (1-9, default 2)] [--port-base P (default 4100)] [--data-dir DIR] [--cognito-latency MS (0-5000, default 0)]\n`,
  );
  process.exit(2);
}

function parseOptions(args: string[]): Options {
  const options: Options = { instances: 2, portBase: 4100, dataDir: undefined, cognitoLatencyMs: 0 };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    const value = args[i + 1];
    if (value === undefined) usage(`${flag} needs a value`);
    i += 1;
    if (flag === '--instances') {
      if (!/^[1-9]$/.test(value)) usage(`--instances expects 1-9, got ${JSON.stringify(value)}`);
      options.instances = Number(value);
    } else if (flag === '--port-base') {
      const port = Number(value);
      if (!/^\d{1,5}$/.test(value) || port < 1024 || port > 65_500) {
        usage(`--port-base expects a port 1024-65500, got ${JSON.stringify(value)}`);
      }
      options.portBase = port;
    } else if (flag === '--cognito-latency') {
      // Adds this many ms before each answer of the embedded identity service, as a Cognito region
      // away would: calls that overlap in AWS overlap here too.
      const ms = Number(value);
      if (!/^\d{1,4}$/.test(value) || ms > 5_000) {
        usage(`--cognito-latency expects 0-5000 (ms), got ${JSON.stringify(value)}`);
      }
      options.cognitoLatencyMs = ms;
    } else if (flag === '--data-dir') {
      options.dataDir = path.resolve(value);
    } else {
      usage(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  return options;
}

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
}

/**
 * IAM and Lambda have no local engine: this answers every request with an error each SDK reads as
 * such (IAM's query protocol takes XML, Lambda's REST protocol JSON), so nothing waits or guesses.
 */
function absentServices(): Server {
  return http.createServer((req, res) => {
    const lambda = (req.url ?? '').startsWith('/2015-03-31/');
    const message = `aws:local has no ${lambda ? 'Lambda' : 'IAM'} engine`;
    req.resume();
    if (lambda) {
      res.writeHead(501, { 'Content-Type': 'application/json', 'x-amzn-errortype': 'NotImplemented' });
      res.end(JSON.stringify({ message }));
    } else {
      res.writeHead(501, { 'Content-Type': 'text/xml' });
      res.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>NotImplemented</Code><Message>${message}</Message></Error><RequestId>0</RequestId></ErrorResponse>`,
      );
    }
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const { portBase, instances } = options;
  // Ports: consoles at P, P+1, ...; then DynamoDB, SES and Cognito at P+10, P+11, P+12, and at P+13 the
  // stand-in that answers for IAM and Lambda.
  const ports = {
    dynamodb: portBase + 10,
    ses: portBase + 11,
    cognito: portBase + 12,
    absent: portBase + 13,
  };
  const temporary = options.dataDir === undefined;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'studio-aws-local-'));
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const cleanups: Array<() => Promise<void> | void> = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const cleanup of cleanups.splice(0).reverse()) {
      await Promise.resolve()
        .then(cleanup)
        .catch(() => {});
    }
    if (temporary) fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  const fail = (error: unknown): never => {
    process.stderr.write(
      error instanceof ConfigError
        ? `${error.message}\n`
        : `aws:local failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    void stop(1);
    throw error;
  };

  try {
    // The engines.
    const dynamo = dynalite({
      path: temporary ? undefined : path.join(dataDir, 'dynamodb'),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    const dynamoUrl = await listen(dynamo, ports.dynamodb);
    cleanups.push(() => closeServer(dynamo));
    const ses: Server = await sesLocal({ host: '127.0.0.1', port: ports.ses });
    const sesUrl = `http://127.0.0.1:${ports.ses}`;
    cleanups.push(() => closeServer(ses));
    const cognitoUrl = `http://127.0.0.1:${ports.cognito}`;
    const absent = absentServices();
    const absentUrl = await listen(absent, ports.absent);
    cleanups.push(() => closeServer(absent));

    // Every AWS client of this process and of the consoles finds the engines through the SDK's own
    // variables (no custom endpoint knobs), signed with static fake credentials.
    const awsVariables = {
      ...CREDENTIALS,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoUrl,
      AWS_ENDPOINT_URL_SESV2: sesUrl,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognitoUrl,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY: cognitoUrl,
      // The embedded service answers STS GetCallerIdentity for the credentials its identity pool issues.
      AWS_ENDPOINT_URL_STS: cognitoUrl,
      // No engine here: Studio settings shows the roles, triggers and policy as not checked, saying so.
      AWS_ENDPOINT_URL_IAM: absentUrl,
      AWS_ENDPOINT_URL_LAMBDA: absentUrl,
    };
    Object.assign(process.env, awsVariables);

    const admin = new DynamoDBClient({ region: REGION });
    const tables = await admin.send(new ListTablesCommand({}));
    if (!tables.TableNames?.includes(TABLE)) await createStudioTable(admin, TABLE);
    admin.destroy();

    const consoleUrls = Array.from({ length: instances }, (_, i) => `http://localhost:${portBase + i}`);
    const sessionSecret = randomBytes(32).toString('base64url');
    const consoleVariables = {
      ...awsVariables,
      IDENTITY_BACKEND: 'aws',
      APP_ID,
      SHORT_CODE,
      STUDIO_TABLE: TABLE,
      MAIL_FROM,
      SESSION_SECRET: sessionSecret,
    };

    // The identity service: the embedded Cognito with the triggers on the table and SES, as in AWS.
    const env = loadEnv({
      ...consoleVariables,
      // The triggers' links start with the first instance's URL (behind a load balancer: the one URL).
      PUBLIC_URL: consoleUrls[0],
      DATA_DIR: path.join(dataDir, 'identity'),
      COGNITO_LOCAL_PORT: String(ports.cognito),
      PORT: String(portBase),
      BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    });
    const { muteSdkNodeVersionWarning, startLocalIdentityService, operatorSignInLink } = await import(
      '@/server/runtime'
    );
    const { provision } = await import('@/server/cognito/provision');
    const { createCognitoClient } = await import('@/server/cognito/client');
    const { createCognitoIdentityClient } = await import('@/server/cognito/identity-client');
    muteSdkNodeVersionWarning();
    const identity = await startLocalIdentityService({ ...env, cognitoLocalPort: ports.cognito }, () => {}, {
      latencyMs: options.cognitoLatencyMs,
    });
    cleanups.push(() => identity.close());
    const cognito = createCognitoClient(env);
    const cognitoIdentity = createCognitoIdentityClient(env);
    // The user pool and the identity pool, as the stack would create them.
    const pool = await provision(cognito, env, cognitoIdentity);
    cognito.destroy();
    cognitoIdentity.destroy();

    // The consoles: the standalone build, with its static files beside it.
    const stale = staleBuildReason();
    if (stale) {
      console.log(`Building the console (${stale}) ...`);
      await runNextBuild();
    }
    const standalone = path.join(root, '.next', 'standalone');
    if (!fs.existsSync(path.join(standalone, 'server.js'))) {
      throw new Error('next build wrote no .next/standalone/server.js');
    }
    fs.cpSync(path.join(root, '.next', 'static'), path.join(standalone, '.next', 'static'), {
      recursive: true,
    });
    const children: ChildProcess[] = [];
    cleanups.push(() => Promise.all(children.map(stopChild)).then(() => {}));
    for (const [i, url] of consoleUrls.entries()) {
      const name = String.fromCharCode(65 + i);
      const child = spawn(process.execPath, ['server.js'], {
        cwd: standalone,
        env: {
          ...consoleVariables,
          NODE_ENV: 'production',
          HOSTNAME: '127.0.0.1',
          PORT: String(portBase + i),
          PUBLIC_URL: url,
          USER_POOL_ID: pool.poolId,
          IDENTITY_POOL_ID: pool.identityPoolId,
          DATA_DIR: path.join(dataDir, `console-${name}`),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const prefix = (chunk: Buffer) =>
        chunk
          .toString()
          .split('\n')
          .filter(Boolean)
          .map((line) => `[${name}] ${line}\n`)
          .join('');
      child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
      child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
      child.on('exit', (code, signal) => {
        if (!stopping) fail(new Error(`console ${name} exited (${signal ?? `exit code ${code}`})`));
      });
      children.push(child);
    }
    await Promise.all(consoleUrls.map((url) => waitForHealth(url)));

    const link = await operatorSignInLink(
      env,
      { description: '', pool, challenges: identity.challenges, close: async () => {} },
      ADMIN_EMAIL,
    );
    for (const url of consoleUrls) console.log(`console: ${url}`);
    console.log(`ses: ${sesUrl}`);
    console.log(`dynamodb: ${dynamoUrl}`);
    console.log(
      `cognito: ${cognitoUrl}${options.cognitoLatencyMs ? ` (${options.cognitoLatencyMs} ms before each answer)` : ''}`,
    );
    console.log(`sign-in link for ${ADMIN_EMAIL}: ${link.url}`);
    console.log('Ctrl+C stops everything.');
  } catch (error) {
    fail(error);
  }
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url}/api/health did not answer ok within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

main().catch(() => {});
