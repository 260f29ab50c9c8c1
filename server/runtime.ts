import 'server-only';
import { type ChallengeStore, openSqliteChallengeStore } from '@/server/challenges';
import { issueSignInLink } from '@/server/challenges/links';
import { createCognitoClient } from '@/server/cognito/client';
import { findMemberByEmail } from '@/server/cognito/members';
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
 * A one-time sign-in link for an existing member (the operator's way in; no email is sent), or
 * undefined when no member has that email.
 */
export async function operatorSignInLink(
  env: Env,
  backend: IdentityBackend,
  email: string,
): Promise<{ url: string; expiresAt: number } | undefined> {
  if (!backend.challenges) return undefined;
  const client = createCognitoClient(env);
  try {
    const member = await findMemberByEmail(email, { client, poolId: backend.pool.poolId, now: Date.now });
    if (!member) return undefined;
    return await issueSignInLink(
      backend.challenges,
      { username: member.username, email: member.email },
      { publicUrl: env.publicUrl, now: Date.now(), minIntervalMs: 0 },
    );
  } finally {
    client.destroy();
  }
}
