import 'server-only';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { getEnv } from '@/server/env';
import { type ClientEnv, COGNITO_REQUEST_TIMEOUT_MS, COGNITO_SDK_MAX_ATTEMPTS } from './client';

/**
 * The Cognito Identity (identity pools) client for the configured backend: the embedded service, which
 * answers Cognito Identity on the same listener as user pools, or Cognito Identity with the default
 * credential chain (its endpoint is the SDK's to find, e.g. AWS_ENDPOINT_URL_COGNITO_IDENTITY). One
 * attempt per call, as for the user pool client. Its calls are not in the console's Cognito call
 * count: identity pools have their own quotas, and no page view makes these calls.
 */
export function createCognitoIdentityClient(env: ClientEnv): CognitoIdentityClient {
  const requestHandler = { connectionTimeout: 3_000, requestTimeout: COGNITO_REQUEST_TIMEOUT_MS };
  return env.cognitoEndpoint !== undefined
    ? new CognitoIdentityClient({
        endpoint: env.cognitoEndpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: COGNITO_SDK_MAX_ATTEMPTS,
        requestHandler,
      })
    : new CognitoIdentityClient({
        region: env.awsRegion,
        maxAttempts: COGNITO_SDK_MAX_ATTEMPTS,
        requestHandler,
      });
}

let sharedClient: CognitoIdentityClient | undefined;

export function getCognitoIdentityClient(): CognitoIdentityClient {
  sharedClient ??= createCognitoIdentityClient(getEnv());
  return sharedClient;
}
