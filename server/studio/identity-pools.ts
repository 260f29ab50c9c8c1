import 'server-only';
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import {
  deleteIdentityPool,
  ensureIdentityPool,
  expectedIdentityPool,
  findIdentityPool,
  identityPoolDrift,
  readIdentityPool,
} from '@/server/cognito/identity-pool';
import type { Env } from '@/server/env';
import type { IdentityPools } from './context';

// The lifecycle's identity pool calls, on server/cognito/identity-pool.ts (the embedded service in
// local mode, Cognito Identity in AWS mode).

export function identityPoolsOf(
  client: CognitoIdentityClient,
  env: Pick<Env, 'awsRegion' | 'identityPoolId'>,
): IdentityPools {
  const at = (appId: string, identityPoolId = env.identityPoolId) => ({
    appId,
    awsRegion: env.awsRegion,
    identityPoolId,
  });
  return {
    async inspect({ appId, userPoolId, clientId }) {
      const id = await findIdentityPool(client, at(appId));
      if (!id) return null;
      // Without the app client there is nothing to compare the providers with: app-client says so.
      if (!clientId) return { id, problems: [] };
      const actual = await readIdentityPool(client, id);
      return {
        id,
        problems: identityPoolDrift(
          actual,
          expectedIdentityPool(at(appId), { poolId: userPoolId, clientId }),
        ),
      };
    },
    async ensure({ appId, userPoolId, clientId }) {
      // IDENTITY_POOL_ID names one that no longer exists (Studio was disabled): create it by name.
      const named =
        env.identityPoolId && (await findIdentityPool(client, at(appId))) ? env.identityPoolId : undefined;
      const result = await ensureIdentityPool(client, at(appId, named), { poolId: userPoolId, clientId });
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
      const id = await findIdentityPool(client, at(appId));
      if (id) await deleteIdentityPool(client, id);
    },
  };
}
