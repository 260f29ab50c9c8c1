import 'server-only';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { mintOperatorSignInLink, type OperatorLink } from '@/server/auth/operator-link';
import type { SessionStore } from '@/server/auth/session-store';
import { createDynamoSessionStore } from '@/server/auth/session-store-dynamodb';
import { openSqliteSessionStore } from '@/server/auth/session-store-sqlite';
import { type ChallengeStore, openSqliteChallengeStore } from '@/server/challenges';
import { createDynamoChallengeStore } from '@/server/challenges/dynamodb';
import { createCognitoClient } from '@/server/cognito/client';
import type { ProvisionResult } from '@/server/cognito/provision';
import {
  discoverPool,
  TEMPORARY_PASSWORD_VALIDITY_DAYS,
  triggerFunctionName,
  triggerKinds,
} from '@/server/cognito/resources';
import { ConfigError, type Env, getEnv } from '@/server/env';
import type { LocalCognito } from '@/server/local-cognito/server';
import { createOutboxMailer } from '@/server/mail/outbox';
import { createSesMailer } from '@/server/mail/ses';
import { createSmtpMailer } from '@/server/mail/smtp';
import type { Mailer } from '@/server/mail/types';
import { createDynamoMemberStores } from '@/server/members/dynamodb';
import type { RateWindowStore } from '@/server/members/rate-window';
import { createDynamoRateWindows } from '@/server/members/rate-window-dynamodb';
import { openSqliteRateWindows } from '@/server/members/rate-window-sqlite';
import { openSqliteMemberStores } from '@/server/members/sqlite';
import type { MemberStores } from '@/server/members/stores';
import type { TeamLock } from '@/server/members/team-lock';
import { createDynamoTeamLock } from '@/server/members/team-lock-dynamodb';
import { openSqliteTeamLock } from '@/server/members/team-lock-sqlite';

// The wiring: which identity backend, mailer and stores this process runs with. The one place
// besides server/env.ts that knows "local" from "aws": local mode keeps everything in SQLite under
// DATA_DIR and mails through SMTP or the outbox; aws mode keeps it in the one DynamoDB table
// (STUDIO_TABLE) and mails through SES. AWS clients get only the region: credentials come from the
// SDK's default chain, endpoints from its AWS_ENDPOINT_URL_* variables.

export type Log = (line: string) => void;

export interface MailerOptions {
  /** Where the outbox logs "mail to X: subject (outbox: path)"; console.log by default. */
  log?: Log;
}

/** SES in aws mode; SMTP (nodemailer) when SMTP_URL is set; otherwise the outbox in DATA_DIR. */
export function createMailer(
  env: Pick<Env, 'identityBackend' | 'awsRegion' | 'smtpUrl' | 'mailFrom' | 'dataDir'>,
  options: MailerOptions = {},
): Mailer {
  if (env.identityBackend === 'aws') {
    return createSesMailer({ client: new SESv2Client({ region: env.awsRegion }), from: env.mailFrom });
  }
  if (env.smtpUrl) return createSmtpMailer({ smtpUrl: env.smtpUrl, from: env.mailFrom });
  return createOutboxMailer({ dataDir: env.dataDir, from: env.mailFrom, log: options.log });
}

/**
 * Whether /dev/outbox is served: only with the embedded identity service, and never in production
 * once real mail goes out through SMTP (the page shows every sign-in link in clear).
 */
export function isOutboxPageServed(env: Pick<Env, 'identityBackend' | 'isProduction' | 'smtpUrl'>): boolean {
  return env.identityBackend === 'local' && !(env.isProduction && env.smtpUrl);
}

/**
 * Whether GET /dev/cognito-calls answers: COGNITO_CALL_STATS=1, local mode, and a request from this
 * machine (`loopbackClient`, marked by `npm start`'s listener, which local mode always runs behind).
 */
export function isCognitoCallStatsServed(
  env: Pick<Env, 'identityBackend' | 'cognitoCallStats'>,
  loopbackClient: boolean,
): boolean {
  return env.cognitoCallStats && env.identityBackend === 'local' && loopbackClient;
}

/** For the start banner: where sign-in mail goes. */
export function describeMailer(
  env: Pick<Env, 'identityBackend' | 'awsRegion' | 'smtpUrl' | 'dataDir'>,
): string {
  if (env.identityBackend === 'aws') return `Amazon SES, ${env.awsRegion}`;
  return env.smtpUrl ? 'SMTP (SMTP_URL)' : `outbox, ${path.join(env.dataDir, 'outbox')}`;
}

/** The console's records: each opened on first use, then kept for the life of the runtime. */
export interface Stores {
  challenges(): ChallengeStore;
  sessions(): SessionStore;
  members(): MemberStores;
  teamLock(): TeamLock;
  /** Shared rate limits, e.g. the pace of AdminCreateUser across every instance. */
  rateWindows(): RateWindowStore;
  /** Closes what was opened (SQLite files, the DynamoDB client). */
  close(): void;
}

type StoreEnv = Pick<Env, 'identityBackend' | 'awsRegion' | 'studioTable' | 'dataDir'>;

/** SQLite files in DATA_DIR (local mode) or the STUDIO_TABLE DynamoDB table (aws mode). */
export function openStores(env: StoreEnv): Stores {
  const closers: Array<() => void> = [];
  const once = <T>(open: () => T): (() => T) => {
    let value: T | undefined;
    return () => {
      value ??= open();
      return value;
    };
  };

  if (env.identityBackend === 'aws') {
    const tableName = env.studioTable;
    if (!tableName) throw new ConfigError('STUDIO_TABLE', 'required when IDENTITY_BACKEND=aws');
    const client = once(() => {
      const created = new DynamoDBClient({ region: env.awsRegion });
      closers.push(() => created.destroy());
      return created;
    });
    return {
      challenges: once(() => createDynamoChallengeStore({ client: client(), tableName })),
      sessions: once(() => createDynamoSessionStore({ client: client(), tableName })),
      members: once(() => createDynamoMemberStores({ client: client(), tableName })),
      teamLock: once(() => createDynamoTeamLock({ client: client(), tableName })),
      rateWindows: once(() => createDynamoRateWindows({ client: client(), tableName })),
      close: () => closeAll(closers),
    };
  }

  const opened = <T extends { close(): void }>(open: () => T) =>
    once(() => {
      const store = open();
      closers.push(() => store.close());
      return store;
    });
  return {
    challenges: opened(() => openSqliteChallengeStore(env.dataDir)),
    sessions: opened(() => openSqliteSessionStore(env.dataDir)),
    members: opened(() => openSqliteMemberStores(env.dataDir)),
    teamLock: opened(() => openSqliteTeamLock(env.dataDir)),
    rateWindows: opened(() => openSqliteRateWindows(env.dataDir)),
    close: () => closeAll(closers),
  };
}

function closeAll(closers: Array<() => void>): void {
  for (const close of closers.splice(0).reverse()) close();
}

let processStores: Stores | undefined;

/** This process's stores, from its Env (memoized). */
export function getStores(): Stores {
  processStores ??= openStores(getEnv());
  return processStores;
}

export interface LocalIdentityService {
  service: LocalCognito;
  mailer: Mailer;
  challenges: ChallengeStore;
  close(): Promise<void>;
}

/**
 * The embedded Cognito-compatible service on 127.0.0.1:COGNITO_LOCAL_PORT, with the app's four
 * sign-in triggers registered under the Lambda names the pool's LambdaConfig uses. `latencyMs` delays
 * each of its answers, as a Cognito region away would (aws:local's --cognito-latency).
 */
export async function startLocalIdentityService(
  env: Env,
  log: Log = console.log,
  options: { latencyMs?: number } = {},
): Promise<LocalIdentityService> {
  const [{ startLocalCognito }, { createTriggerHandlers }] = await Promise.all([
    import('@/server/local-cognito/server'),
    import('@/server/triggers'),
  ]);
  const mailer = createMailer(env, { log });
  const stores = openStores(env);
  const challenges = stores.challenges();
  const handlers = createTriggerHandlers({
    publicUrl: env.publicUrl,
    productName: env.productName,
    mailer,
    challenges,
    temporaryPasswordValidityDays: TEMPORARY_PASSWORD_VALIDITY_DAYS,
  });
  const lambdas = Object.fromEntries(
    triggerKinds.map((kind) => [triggerFunctionName(kind, env.shortCode), handlers[kind]]),
  );
  let service: LocalCognito;
  try {
    service = await startLocalCognito({
      dataDir: env.dataDir,
      port: env.cognitoLocalPort,
      mailer,
      lambdas,
      log,
      latencyMs: options.latencyMs,
    });
  } catch (error) {
    stores.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(
        'COGNITO_LOCAL_PORT',
        `port ${env.cognitoLocalPort} on 127.0.0.1 is already in use (another Studio Access?); set COGNITO_LOCAL_PORT to a free port`,
      );
    }
    throw error;
  }
  return {
    service,
    mailer,
    challenges,
    async close() {
      await service.close();
      stores.close();
    },
  };
}

export interface IdentityBackend {
  /** For the start banner, e.g. "embedded, http://127.0.0.1:9229". */
  description: string;
  pool: ProvisionResult;
  /** The challenge store the triggers use: the embedded ones' SQLite, or the deployed ones' table. */
  challenges: ChallengeStore;
  close(): Promise<void>;
}

/**
 * Local mode: starts the embedded service and provisions the pool (idempotent). AWS mode: finds the
 * pool the infrastructure created; provisioning real Cognito is the infrastructure's job.
 */
export async function startIdentityBackend(env: Env, log: Log = console.log): Promise<IdentityBackend> {
  if (env.identityBackend === 'aws') {
    const client = createCognitoClient(env);
    const stores = openStores(env);
    try {
      const pool = await discoverPool(client, env);
      return {
        description: `Amazon Cognito, ${env.awsRegion}`,
        pool: {
          ...pool,
          created: false,
          bootstrapCreated: false,
          bootstrapAdminEmail: undefined,
          repaired: [],
        },
        challenges: stores.challenges(),
        async close() {
          client.destroy();
          stores.close();
        },
      };
    } catch (error) {
      client.destroy();
      stores.close();
      throw error;
    }
  }

  const local = await startLocalIdentityService(env, log);
  const client = createCognitoClient(env);
  try {
    const { provision } = await import('@/server/cognito/provision');
    const pool = await provision(client, env);
    return {
      description: `embedded, ${local.service.url}`,
      pool,
      challenges: local.challenges,
      async close() {
        client.destroy();
        await local.close();
      },
    };
  } catch (error) {
    client.destroy();
    await local.close();
    throw error;
  }
}

/** The operator's one-time sign-in link for a Full-access member (no email is sent). */
export async function operatorSignInLink(
  env: Env,
  backend: IdentityBackend,
  email: string,
): Promise<OperatorLink> {
  const client = createCognitoClient(env);
  try {
    return await mintOperatorSignInLink(email, {
      challenges: backend.challenges,
      publicUrl: env.publicUrl,
      cognito: { client, poolId: backend.pool.poolId, now: Date.now },
    });
  } finally {
    client.destroy();
  }
}

/**
 * The AWS SDK warns on every client module load under Node 20 that its 2027 releases need Node 22;
 * the start banner says so once instead.
 */
export function muteSdkNodeVersionWarning(): void {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    if (typeof warning === 'string' && warning.startsWith('NodeVersionSupportWarning')) return;
    return Reflect.apply(emitWarning, this, [warning, ...rest]);
  } as typeof process.emitWarning;
}

/** A line for the start banner when this Node will stop receiving AWS SDK updates, else undefined. */
export function nodeVersionNote(): string | undefined {
  const major = Number(process.versions.node.split('.')[0]);
  return major < 22
    ? `Node ${process.versions.node} works; AWS SDK releases from 2027 need Node 22 or newer.`
    : undefined;
}
