import 'server-only';
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { isIdentityError } from '@/server/cognito/errors';
import {
  deleteIdentityPool,
  ensureIdentityPool,
  expectedIdentityPool,
  findIdentityPool,
  identityPoolDrift,
  readIdentityPool,
  readIdentityPoolIfExists,
} from '@/server/cognito/identity-pool';
import type { Env } from '@/server/env';
import type { IdentityPools } from './context';

// The lifecycle's identity pool calls, on server/cognito/identity-pool.ts (the embedded service in
// local mode, Cognito Identity in AWS mode).

export function identityPoolsOf(
  client: CognitoIdentityClient,
  env: Pick<Env, 'awsRegion' | 'identityPoolId'>,
): IdentityPools {
  // IDENTITY_POOL_ID when `configured`, else the name amplify_backend_manager_<appId>.
  const at = (appId: string, configured: boolean) => ({
    appId,
    awsRegion: env.awsRegion,
    identityPoolId: configured ? env.identityPoolId : undefined,
  });
  return {
    async inspect({ appId, userPoolId, clientId }) {
      // IDENTITY_POOL_ID is read straight away (one DescribeIdentityPool, not a look-up and a read).
      let actual = env.identityPoolId ? await readIdentityPoolIfExists(client, env.identityPoolId) : null;
      let id =
        actual?.id ?? (env.identityPoolId ? undefined : await findIdentityPool(client, at(appId, false)));
      let stale: string | undefined;
      if (!id && env.identityPoolId) {
        // IDENTITY_POOL_ID is gone (Studio was disabled and enabled): look for it by name, where the
        // credentials may list identity pools (the console's may not).
        try {
          id = await findIdentityPool(client, at(appId, false));
          stale = id ? env.identityPoolId : undefined;
        } catch (error) {
          if (!isIdentityError(error, 'access_denied')) throw error;
        }
      }
      if (!id) return null;
      // Without the app client there is nothing to compare the providers with: app-client says so.
      if (!clientId) return { id, problems: [], staleId: stale };
      actual ??= await readIdentityPool(client, id);
      return {
        id,
        problems: identityPoolDrift(
          actual,
          expectedIdentityPool(at(appId, false), { poolId: userPoolId, clientId }),
        ),
        staleId: stale,
      };
    },
    async ensure({ appId, userPoolId, clientId }) {
      // IDENTITY_POOL_ID names one that no longer exists (Studio was disabled): create it by name.
      const configured = Boolean(env.identityPoolId && (await findIdentityPool(client, at(appId, true))));
      const result = await ensureIdentityPool(client, at(appId, configured), {
        poolId: userPoolId,
        clientId,
      });
      const moved =
        env.identityPoolId && env.identityPoolId !== result.identityPoolId
          ? [`set IDENTITY_POOL_ID=${result.identityPoolId} in the console's environment`]
          : [];
      return {
        id: result.identityPoolId,
        changed: [...(result.created ? ['Created it'] : result.repaired), ...moved],
      };
    },
    async remove({ appId }) {
      const id = await findIdentityPool(client, at(appId, true));
      if (id) await deleteIdentityPool(client, id);
    },
  };
}
