import 'server-only';
import { mintOperatorSignInLink, type OperatorLink } from '@/server/auth/operator-link';
import { type ChallengeStore, openSqliteChallengeStore } from '@/server/challenges';
import { createCognitoClient } from '@/server/cognito/client';
import { type ProvisionResult, provision } from '@/server/cognito/provision';
import {
  discoverPool,
  TEMPORARY_PASSWORD_VALIDITY_DAYS,
  triggerFunctionName,
  triggerKinds,
} from '@/server/cognito/resources';
import { ConfigError, type Env } from '@/server/env';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import { createMailer, type Mailer } from '@/server/mail';
import { createTriggerHandlers } from '@/server/triggers';

// The wiring: which identity backend, mailer and challenge store this process runs with. The one
// place besides server/env.ts that knows "local" from "aws".

export type Log = (line: string) => void;

export interface LocalIdentityService {
  service: LocalCognito;
  mailer: Mailer;
  challenges: ChallengeStore;
  close(): Promise<void>;
}

/**
 * The embedded Cognito-compatible service on 127.0.0.1:COGNITO_LOCAL_PORT, with the app's four
 * sign-in triggers registered under the Lambda names the pool's LambdaConfig uses.
 */
export async function startLocalIdentityService(
  env: Env,
  log: Log = console.log,
): Promise<LocalIdentityService> {
  const mailer = createMailer(env, { log });
  const challenges = openSqliteChallengeStore(env.dataDir);
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
    });
  } catch (error) {
    challenges.close();
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
      challenges.close();
    },
  };
}

export interface IdentityBackend {
  /** For the start banner, e.g. "embedded, http://127.0.0.1:9229". */
  description: string;
  pool: ProvisionResult;
  /** The store the embedded triggers use; undefined in aws mode (the deployed triggers have their own). */
  challenges: ChallengeStore | undefined;
  close(): Promise<void>;
}

/**
 * Local mode: starts the embedded service and provisions the pool (idempotent). AWS mode: finds the
 * pool the infrastructure created; provisioning real Cognito is the infrastructure's job.
 */
export async function startIdentityBackend(env: Env, log: Log = console.log): Promise<IdentityBackend> {
  if (env.identityBackend === 'aws') {
    const client = createCognitoClient(env);
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
        challenges: undefined,
        async close() {
          client.destroy();
        },
      };
    } catch (error) {
      client.destroy();
      throw error;
    }
  }

  const local = await startLocalIdentityService(env, log);
  const client = createCognitoClient(env);
  try {
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

/**
 * The operator's one-time sign-in link for a Full-access member (no email is sent); undefined in aws
 * mode, where the deployed triggers keep their own challenge store.
 */
export async function operatorSignInLink(
  env: Env,
  backend: IdentityBackend,
  email: string,
): Promise<OperatorLink | undefined> {
  if (!backend.challenges) return undefined;
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
