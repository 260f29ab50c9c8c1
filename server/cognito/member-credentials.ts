import 'server-only';
import {
  type CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
} from '@aws-sdk/client-cognito-identity';
import { decodeJwt } from 'jose';
import type { Env } from '@/server/env';
import { cognitoCall, IdentityError } from './errors';
import { userPoolProviderName } from './identity-pool';

export interface MemberCredentials {
  identityId: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** The role the credentials stand for, or undefined when the token names no preferred role. */
  roleArn: string | undefined;
}

/**
 * AWS credentials for a member's ID token, through the identity pool: GetId, then
 * GetCredentialsForIdentity with the same Logins (Cognito checks the token, server-side, each time).
 * In local mode they are the embedded service's and work only against its STS GetCallerIdentity.
 * A refused token (expired, signed out, removed, or an ambiguous role) is IdentityError('not_authorized').
 */
export async function getCredentialsForIdToken(
  client: CognitoIdentityClient,
  env: Pick<Env, 'awsRegion'>,
  request: { idToken: string; userPoolId: string; identityPoolId: string },
): Promise<MemberCredentials> {
  const Logins = { [userPoolProviderName(env.awsRegion, request.userPoolId)]: request.idToken };
  const { IdentityId } = await cognitoCall(() =>
    client.send(new GetIdCommand({ IdentityPoolId: request.identityPoolId, Logins })),
  );
  if (!IdentityId) throw new IdentityError('unknown', 'GetId returned no identity id');
  const { Credentials } = await cognitoCall(() =>
    client.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins })),
  );
  const { AccessKeyId, SecretKey, SessionToken, Expiration } = Credentials ?? {};
  if (!AccessKeyId || !SecretKey || !SessionToken || !Expiration) {
    throw new IdentityError('unknown', 'GetCredentialsForIdentity returned incomplete credentials');
  }
  return {
    identityId: IdentityId,
    accessKeyId: AccessKeyId,
    secretAccessKey: SecretKey,
    sessionToken: SessionToken,
    expiration: Expiration,
    roleArn: preferredRoleOf(request.idToken),
  };
}

/**
 * GetCredentialsForIdentity does not say which role it assumed. With Studio's Token role mapping
 * (ambiguous tokens denied) it is the token's cognito:preferred_role, so the claim is read here,
 * decoded only: Cognito Identity has just verified this very token.
 */
function preferredRoleOf(idToken: string): string | undefined {
  try {
    const role = decodeJwt(idToken)['cognito:preferred_role'];
    return typeof role === 'string' ? role : undefined;
  } catch {
    return undefined;
  }
}
