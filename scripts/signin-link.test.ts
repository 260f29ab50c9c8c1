import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoChallengeStore } from '@/server/challenges/dynamodb';
import { hashSecret } from '@/server/challenges/links';
import { createCognitoClient } from '@/server/cognito/client';
import { provision } from '@/server/cognito/provision';
import {
  TEMPORARY_PASSWORD_VALIDITY_DAYS,
  triggerFunctionName,
  triggerKinds,
} from '@/server/cognito/resources';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import type { MailMessage } from '@/server/mail/types';
import { type LocalDynamo, startLocalDynamo } from '@/server/storage/dynalite.fixture';
import { createTriggerHandlers } from '@/server/triggers';
import { type Exit, runScript } from './cli.fixture';

// `npm run signin-link -- <email>` in AWS mode: the operator's link goes straight into STUDIO_TABLE,
// found through the SDK's own endpoint variables (here dynalite and the embedded identity service,
// whose triggers use the same DynamoDB challenge store, as the deployed Lambdas do).

const PUBLIC_URL = 'https://studio.example.com';
const ADMIN = 'ops@example.com';
const SHORT_CODE = 'linkaws1';

let dynamo: LocalDynamo;
let service: LocalCognito;
let poolId: string;
const mail: MailMessage[] = [];

beforeAll(async () => {
  dynamo = await startLocalDynamo('studio-signin-link');
  const challenges = createDynamoChallengeStore({ client: dynamo.client(), tableName: dynamo.tableName });
  const mailer = {
    async send(message: MailMessage) {
      mail.push(message);
    },
  };
  const handlers = createTriggerHandlers({
    publicUrl: PUBLIC_URL,
    productName: 'Studio Access',
    mailer,
    challenges,
    temporaryPasswordValidityDays: TEMPORARY_PASSWORD_VALIDITY_DAYS,
  });
  service = await startLocalCognito({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'signin-link-aws-')),
    port: 0,
    mailer,
    lambdas: Object.fromEntries(
      triggerKinds.map((kind) => [triggerFunctionName(kind, SHORT_CODE), handlers[kind]]),
    ),
    log: () => {},
  });
  const client = createCognitoClient({
    identityBackend: 'local',
    cognitoEndpoint: service.url,
    awsRegion: 'us-east-1',
  });
  try {
    const pool = await provision(client, {
      appId: 'signinlinkaws',
      shortCode: SHORT_CODE,
      awsRegion: 'us-east-1',
      awsAccountId: '000000000000',
      userPoolId: undefined,
      bootstrapAdminEmail: ADMIN,
      sessionTtlMs: 5.5 * 3_600_000,
    });
    poolId = pool.poolId;
  } finally {
    client.destroy();
  }
});

afterAll(async () => {
  await service?.close();
  await dynamo?.close();
});

function signinLink(email: string): Promise<Exit> {
  const env = {
    NODE_ENV: 'production' as const,
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'signin-link-operator-')),
    IDENTITY_BACKEND: 'aws',
    AWS_REGION: 'us-east-1',
    STUDIO_TABLE: dynamo.tableName,
    MAIL_FROM: 'Studio <studio@example.com>',
    SESSION_SECRET: Buffer.alloc(32, 9).toString('base64'),
    PUBLIC_URL,
    USER_POOL_ID: poolId,
    AWS_ACCESS_KEY_ID: 'operator',
    AWS_SECRET_ACCESS_KEY: 'operator',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: service.url,
  };
  return runScript('scripts/signin-link.ts', [email], env);
}

describe('npm run signin-link in AWS mode', () => {
  it('writes a one-time link for a Full-access member into STUDIO_TABLE, and sends no mail', async () => {
    const before = mail.length;
    const result = await signinLink(ADMIN);
    expect(result.stderr).not.toMatch(/signin-link:/);
    expect(result.code).toBe(0);
    const url = /^(https:\/\/\S+)$/m.exec(result.stdout)?.[1];
    expect(url?.startsWith(`${PUBLIC_URL}/auth/link#`)).toBe(true);
    expect(mail.length).toBe(before);

    // The console's instances read the same table: the link is there, for the admin, and works once.
    const store = createDynamoChallengeStore({ client: dynamo.client(), tableName: dynamo.tableName });
    const secretHash = hashSecret(new URL(url!).hash.slice(1));
    const state = await store.inspect(secretHash, Date.now());
    expect(state).toMatchObject({ state: 'valid', email: ADMIN });
    const username = state.state === 'valid' ? state.username : '';
    expect(await store.consume(secretHash, username, Date.now())).toMatchObject({
      consumed: true,
      email: ADMIN,
    });
    expect(await store.consume(secretHash, username, Date.now())).toMatchObject({
      consumed: false,
      reason: 'used',
    });
  });

  it('refuses an address that is not a member, naming it, and writes nothing', async () => {
    const result = await signinLink('stranger@example.com');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('signin-link: stranger@example.com is not a member of this team.');
    expect(result.stdout).toBe('');
  });
});
