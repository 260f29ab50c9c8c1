import 'server-only';
import net from 'node:net';
import path from 'node:path';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AwsCredentialsView } from '@/lib/studio';
import { mintOperatorSignInLink, type OperatorLink } from '@/server/auth/operator-link';
import type { SessionStore } from '@/server/auth/session-store';
import { createDynamoSessionStore } from '@/server/auth/session-store-dynamodb';
import { openSqliteSessionStore } from '@/server/auth/session-store-sqlite';
import { type ChallengeStore, openSqliteChallengeStore } from '@/server/challenges';
import { createDynamoChallengeStore } from '@/server/challenges/dynamodb';
import { type CognitoContext, createCognitoClient, getCognitoClient } from '@/server/cognito/client';
import { IdentityError } from '@/server/cognito/errors';
import { createCognitoIdentityClient } from '@/server/cognito/identity-client';
import { findIdentityPool } from '@/server/cognito/identity-pool';
import { getCredentialsForIdToken } from '@/server/cognito/member-credentials';
import { findMemberRecordByEmail } from '@/server/cognito/members';
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
import type { StudioContext } from '@/server/studio/context';
import { type DisabledMarker, readDisabledMarker } from '@/server/studio/disabled-marker';
import { identityPoolsOf } from '@/server/studio/identity-pools';

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

/**
 * Local mode, after `npm run studio -- disable`: no pool is provisioned in its place. `npm start` then
 * runs only the embedded service (startDisabledIdentityService) until `npm run studio -- enable`.
 */
export class StudioDisabledError extends Error {
  constructor(readonly marker: DisabledMarker) {
    super(
      `Studio is disabled${marker.disabledAt ? ` (since ${marker.disabledAt})` : ''}: npm run studio -- enable${marker.exportFile ? ` --reinvite ${marker.exportFile}` : ''} enables it again`,
    );
    this.name = 'StudioDisabledError';
  }
}

/** The embedded service alone, with its triggers, for a disabled Studio: `npm run studio -- enable` uses it. */
export async function startDisabledIdentityService(
  env: Env,
  log: Log = console.log,
): Promise<{ description: string; close(): Promise<void> }> {
  const local = await startLocalIdentityService(env, log);
  return { description: `embedded, ${local.service.url}`, close: () => local.close() };
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
 * Local mode: starts the embedded service and provisions the user pool and identity pool
 * (idempotent). AWS mode: finds the pool the infrastructure created; provisioning real Cognito is the
 * infrastructure's job.
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
          // As configured: the console does not look the identity pool up in AWS mode (its policy
          // grants no Cognito Identity calls); the stack created it.
          identityPoolId: env.identityPoolId,
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

  const disabled = readDisabledMarker(env.dataDir);
  if (disabled) throw new StudioDisabledError(disabled);
  const local = await startLocalIdentityService(env, log);
  const client = createCognitoClient(env);
  const identityClient = createCognitoIdentityClient(env);
  const destroyClients = () => {
    client.destroy();
    identityClient.destroy();
  };
  try {
    const { provision } = await import('@/server/cognito/provision');
    const pool = await provision(client, env, identityClient);
    if (pool.bootstrapCreated && pool.bootstrapAdminEmail) {
      await recordBootstrapLevel(
        env,
        { client, poolId: pool.poolId, now: Date.now },
        pool.bootstrapAdminEmail,
      );
    }
    return {
      description: `embedded, ${local.service.url}`,
      pool,
      challenges: local.challenges,
      async close() {
        destroyClients();
        await local.close();
      },
    };
  } catch (error) {
    destroyClients();
    await local.close();
    throw error;
  }
}

/**
 * The console records each member's level (doctor gives it back if their group is ever deleted); the
 * bootstrap admin is made by provisioning, not by the console's invite, so it is recorded here.
 */
async function recordBootstrapLevel(env: Env, cognito: CognitoContext, email: string): Promise<void> {
  const member = await findMemberRecordByEmail(cognito, email);
  if (!member) return;
  const stores = openStores(env);
  try {
    await stores
      .members()
      .invites.recordLevel(email, { username: member.username, accessLevel: 'full', at: Date.now() });
  } finally {
    stores.close();
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

export interface StudioRuntime {
  context: StudioContext;
  /** AWS credentials for a member's ID token, from Studio's identity pool. */
  credentials(request: { idToken: string; userPoolId: string }): Promise<AwsCredentialsView>;
  close(): Promise<void>;
}

/** Whether something answers on the embedded service's port (npm start, npm run cognito-local). */
function localServiceAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * The Studio lifecycle's clients and stores for `npm run studio`: Cognito and Cognito Identity in both
 * modes, IAM and Lambda in AWS mode. In local mode it uses the embedded service that `npm start` runs,
 * or starts it (with its triggers and mailer) for the length of the command.
 */
export async function openStudioRuntime(env: Env, log: Log = () => {}): Promise<StudioRuntime> {
  let local: LocalIdentityService | undefined;
  if (env.identityBackend === 'local' && !(await localServiceAnswers(env.cognitoLocalPort))) {
    local = await startLocalIdentityService(env, log);
  }
  const stores = openStores(env);
  const cognito = createCognitoClient(env);
  const runtime = studioRuntime(env, cognito, stores);
  return {
    ...runtime,
    async close() {
      cognito.destroy();
      await runtime.close();
      stores.close();
      await local?.close();
    },
  };
}

/** The lifecycle on clients and stores given (the caller closes those); close() ends its own clients. */
function studioRuntime(env: Env, cognito: CognitoIdentityProviderClient, stores: Stores): StudioRuntime {
  const identity = createCognitoIdentityClient(env);
  // A page waits on these: an unreachable IAM or Lambda (aws:local has neither) fails fast.
  const awsClient = {
    region: env.awsRegion,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  };
  const aws =
    env.identityBackend === 'aws'
      ? { iam: new IAMClient(awsClient), lambda: new LambdaClient(awsClient) }
      : null;
  const members = stores.members();
  return {
    context: {
      env,
      cognito,
      identityPools: identityPoolsOf(identity, env),
      aws,
      invites: members.invites,
      activity: members.activity,
      now: Date.now,
    },
    async credentials({ idToken, userPoolId }) {
      // IDENTITY_POOL_ID is used as it is: a stale one fails GetId with not_found, as no pool would here.
      const identityPoolId = env.identityPoolId ?? (await findIdentityPool(identity, env));
      if (!identityPoolId) throw new IdentityError('not_found', 'Studio has no identity pool');
      const issued = await getCredentialsForIdToken(identity, env, { idToken, userPoolId, identityPoolId });
      return {
        accessKeyId: issued.accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken,
        expiration: issued.expiration.toISOString(),
        roleArn: issued.roleArn ?? '',
        region: env.awsRegion,
        local: env.identityBackend === 'local',
      };
    },
    async close() {
      identity.destroy();
      aws?.iam.destroy();
      aws?.lambda.destroy();
    },
  };
}

let consoleStudio: StudioRuntime | undefined;

/** The console's lifecycle (Studio settings): this process's clients and stores, kept for its life. */
export function getStudioRuntime(): StudioRuntime {
  consoleStudio ??= studioRuntime(getEnv(), getCognitoClient(), getStores());
  return consoleStudio;
}
