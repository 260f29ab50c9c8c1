import 'server-only';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type Env, getEnv } from '@/server/env';
import { countCognitoCalls } from './call-count';
import { cognitoCall, toIdentityError } from './errors';
import { discoverPool, type PoolInfo } from './resources';

export type ClientEnv = Pick<Env, 'identityBackend' | 'cognitoEndpoint' | 'awsRegion'>;

/** How long the console waits for one answer from Cognito before the SDK gives up on the attempt. */
export const COGNITO_REQUEST_TIMEOUT_MS = 15_000;

/**
 * One attempt per `send`: the SDK's own retries are off, so retries do not multiply. Throttling is
 * retried in one layer, withThrottleRetry (./throttle.ts), used by the members rules, sign-in and
 * the data access layer alike; it paces AdminCreateUser and backs off on a clock tests control;
 * other failures (timeouts, 5xx, network) are not retried, so a write whose answer was lost is never
 * sent twice.
 */
export const COGNITO_SDK_MAX_ATTEMPTS = 1;

/**
 * The SDK client for the configured backend: the embedded service (any static credentials; it
 * accepts every SigV4 signature, as local AWS emulators do) or Cognito with the default credential
 * chain. Every attempt is counted (call-count.ts).
 */
export function createCognitoClient(env: ClientEnv): CognitoIdentityProviderClient {
  const client = new CognitoIdentityProviderClient(cognitoClientConfig(env));
  countCognitoCalls(client);
  return client;
}

/**
 * What both Cognito SDK clients (user pools, and identity pools in ./identity-client.ts) are built
 * with: one attempt per call, the console's timeouts, and the embedded service's endpoint and static
 * credentials, or the default credential chain (env.ts gives an endpoint for the embedded service
 * only; Cognito's is the SDK's to find).
 */
export function cognitoClientConfig(env: ClientEnv) {
  const requestHandler = { connectionTimeout: 3_000, requestTimeout: COGNITO_REQUEST_TIMEOUT_MS };
  return env.cognitoEndpoint !== undefined
    ? {
        endpoint: env.cognitoEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: COGNITO_SDK_MAX_ATTEMPTS,
        requestHandler,
      }
    : { region: env.awsRegion, maxAttempts: COGNITO_SDK_MAX_ATTEMPTS, requestHandler };
}

let sharedClient: CognitoIdentityProviderClient | undefined;

export function getCognitoClient(): CognitoIdentityProviderClient {
  if (!sharedClient) {
    sharedClient = createCognitoClient(getEnv());
    // A call answered "no such pool" means the cached pool is gone (Studio was disabled): forget it,
    // so the next look-up finds the new one, or finds none and the pages say Studio is disabled.
    sharedClient.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          // Cognito: "User pool <id> does not exist." (a missing group is ResourceNotFound too).
          if (
            error instanceof Error &&
            error.name === 'ResourceNotFoundException' &&
            /^User pool \S+ does not exist/.test(error.message)
          ) {
            forgetPoolInfo();
          }
          throw error;
        }
      },
      { step: 'initialize', name: 'studioForgetMissingPool' },
    );
  }
  return sharedClient;
}

// One cache per process, even where the bundler gives a route (the health check, say) its own copy of
// this module: a route that finds the pool gone must make every page forget it too.
const poolKey = Symbol.for('studio-access.pool-info');
const poolHolder = globalThis as typeof globalThis & { [poolKey]?: Promise<PoolInfo> };

/** The pool `amplify_backend_manager_<appId>` (or USER_POOL_ID) and its app client; cached once found. */
export function getPoolInfo(): Promise<PoolInfo> {
  const cached = poolHolder[poolKey];
  if (cached) return cached;
  const found = discoverPool(getCognitoClient(), getEnv()).catch((error: unknown) => {
    if (poolHolder[poolKey] === found) poolHolder[poolKey] = undefined;
    throw error;
  });
  poolHolder[poolKey] = found;
  return found;
}

/** Drops the cached pool, e.g. after Studio was disabled and re-enabled (a new pool id). */
export function forgetPoolInfo(): void {
  poolHolder[poolKey] = undefined;
}

/** What the domain reads need: a client, the pool, and a clock. */
export interface CognitoContext {
  client: CognitoIdentityProviderClient;
  poolId: string;
  now: () => number;
}

export async function getCognitoContext(): Promise<CognitoContext> {
  const { poolId } = await getPoolInfo();
  return { client: getCognitoClient(), poolId, now: Date.now };
}

export type BackendHealth = { ok: true; poolId: string } | { ok: false; reason: string };

/** Whether the identity backend answers for our pool within `timeoutMs` (DescribeUserPool). */
export async function checkIdentityBackend(timeoutMs = 2_000): Promise<BackendHealth> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const { poolId } = await Promise.race([
      getPoolInfo(),
      new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    ]);
    await cognitoCall(() =>
      getCognitoClient().send(new DescribeUserPoolCommand({ UserPoolId: poolId }), { abortSignal: signal }),
    );
    return { ok: true, poolId };
  } catch (error) {
    const failure = toIdentityError(error);
    if (failure.code === 'not_found') forgetPoolInfo();
    return {
      ok: false,
      reason: failure.code === 'unavailable' ? 'The identity service is not answering.' : failure.message,
    };
  }
}
