// Sign-in and token operations: (Admin)InitiateAuth, (Admin)RespondToAuthChallenge, GetUser,
// GlobalSignOut, AdminUserGlobalSignOut, RevokeToken.
import { type AuthFlow, requireFlowEnabled, requireSecretHash, stringMap } from '../auth-client';
import { respondCustomChallenge, startCustomAuth } from '../auth-custom';
import { type AuthResponse, passwordAuth, respondNewPassword, tokensResponse } from '../auth-password';
import {
  refreshTokenOwner,
  revokeAllTokens,
  revokeRefreshToken,
  userForRefreshToken,
} from '../auth-refresh-tokens';
import type { Operation, ServiceContext } from '../context';
import { CognitoError, invalidParameter } from '../errors';
import { attributeList, type ClientRecord, getClient, getPool, type PoolRecord, requireUser } from '../store';
import { verifyAccessToken } from '../token-verification';
import { issueTokens } from '../tokens';

const PUBLIC_FLOWS: AuthFlow[] = ['USER_PASSWORD_AUTH', 'CUSTOM_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'];
const ADMIN_FLOWS: AuthFlow[] = [
  'ADMIN_USER_PASSWORD_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
];
const KNOWN_FLOWS = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'USER_AUTH',
];

function authFlowOf(value: unknown, allowed: AuthFlow[]): AuthFlow {
  if (typeof value !== 'string' || !KNOWN_FLOWS.includes(value)) {
    throw invalidParameter(
      `1 validation error detected: Value '${String(value)}' at 'authFlow' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${KNOWN_FLOWS.join(', ')}]`,
    );
  }
  if (!(allowed as string[]).includes(value)) throw invalidParameter('Initiate Auth method not supported.');
  return value as AuthFlow;
}

async function initiate(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  flow: AuthFlow,
  input: Record<string, unknown>,
): Promise<AuthResponse> {
  requireFlowEnabled(client, flow);
  const params = stringMap(input.AuthParameters, 'AuthParameters');
  // Validated for shape only: Cognito hands InitiateAuth's ClientMetadata to none of the triggers here.
  stringMap(input.ClientMetadata, 'ClientMetadata');
  switch (flow) {
    case 'CUSTOM_AUTH':
      return startCustomAuth(ctx, pool, client, params);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN': {
      const token = params?.REFRESH_TOKEN;
      if (!token) throw invalidParameter('Missing required parameter REFRESH_TOKEN');
      if (client.secret) {
        // The hash is over the token's user, which the caller may name or leave implicit.
        const names = [params.USERNAME, refreshTokenOwner(ctx, token)].filter(
          (name): name is string => !!name,
        );
        requireSecretHash(client, params.SECRET_HASH, names);
      }
      const { user, family } = userForRefreshToken(ctx, pool, client, token);
      return tokensResponse(await issueTokens(ctx, pool, client, user, family));
    }
    default:
      return passwordAuth(ctx, pool, client, params);
  }
}

async function respond(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  input: Record<string, unknown>,
): Promise<AuthResponse> {
  const responses = stringMap(input.ChallengeResponses, 'ChallengeResponses');
  const clientMetadata = stringMap(input.ClientMetadata, 'ClientMetadata');
  switch (input.ChallengeName) {
    case 'NEW_PASSWORD_REQUIRED':
      return respondNewPassword(ctx, pool, client, responses, input.Session);
    case 'CUSTOM_CHALLENGE':
      return respondCustomChallenge(ctx, pool, client, responses, input.Session, clientMetadata);
    default:
      if (typeof input.ChallengeName !== 'string' || input.ChallengeName === '') {
        throw invalidParameter('ChallengeName is required');
      }
      throw invalidParameter(`Challenge ${input.ChallengeName} is not supported by this service.`);
  }
}

/** The client of a public (non-admin) call: no pool id, so the pool is the client's. */
function publicClient(ctx: ServiceContext, clientId: unknown): { pool: PoolRecord; client: ClientRecord } {
  const client = getClient(ctx, clientId);
  return { pool: getPool(ctx, client.poolId), client };
}

function adminClient(ctx: ServiceContext, input: Record<string, unknown>) {
  const pool = getPool(ctx, input.UserPoolId);
  return { pool, client: getClient(ctx, input.ClientId, pool.id) };
}

export const authOperations: Record<string, Operation> = {
  async InitiateAuth(input, ctx) {
    const flow = authFlowOf(input.AuthFlow, PUBLIC_FLOWS);
    const { pool, client } = publicClient(ctx, input.ClientId);
    return initiate(ctx, pool, client, flow, input);
  },

  async AdminInitiateAuth(input, ctx) {
    const flow = authFlowOf(input.AuthFlow, ADMIN_FLOWS);
    const { pool, client } = adminClient(ctx, input);
    return initiate(ctx, pool, client, flow, input);
  },

  async RespondToAuthChallenge(input, ctx) {
    const { pool, client } = publicClient(ctx, input.ClientId);
    return respond(ctx, pool, client, input);
  },

  async AdminRespondToAuthChallenge(input, ctx) {
    const { pool, client } = adminClient(ctx, input);
    return respond(ctx, pool, client, input);
  },

  async GetUser(input, ctx) {
    const { user } = await verifyAccessToken(ctx, input.AccessToken);
    return {
      Username: user.username,
      UserAttributes: attributeList(user),
    };
  },

  async GlobalSignOut(input, ctx) {
    const { user } = await verifyAccessToken(ctx, input.AccessToken);
    revokeAllTokens(ctx, user);
    return {};
  },

  AdminUserGlobalSignOut(input, ctx) {
    const pool = getPool(ctx, input.UserPoolId);
    revokeAllTokens(ctx, requireUser(ctx, pool, input.Username));
    return {};
  },

  RevokeToken(input, ctx) {
    if (typeof input.Token !== 'string' || input.Token === '') throw invalidParameter('Token is required');
    const client = getClient(ctx, input.ClientId);
    if (client.secret && input.ClientSecret !== client.secret) {
      throw new CognitoError('UnauthorizedException', 'Client authentication failed.');
    }
    if (client.config.EnableTokenRevocation === false) {
      throw new CognitoError(
        'UnsupportedOperationException',
        'Token revocation is not enabled for this client.',
      );
    }
    revokeRefreshToken(ctx, client, input.Token);
    return {};
  },
};
