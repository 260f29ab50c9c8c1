import 'server-only';
import { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import { type ClientEnv, cognitoClientConfig } from './client';

/**
 * The Cognito Identity (identity pools) client for the configured backend: the embedded service, which
 * answers Cognito Identity on the same listener as user pools, or Cognito Identity with the default
 * credential chain (its endpoint is the SDK's to find, e.g. AWS_ENDPOINT_URL_COGNITO_IDENTITY). Built
 * as the user pool client is. Its calls are not in the console's Cognito call count: identity pools
 * have their own quotas, and no page view but Studio settings makes these calls.
 */
export function createCognitoIdentityClient(env: ClientEnv): CognitoIdentityClient {
  return new CognitoIdentityClient(cognitoClientConfig(env));
}
