// The Logins map of GetId and GetCredentialsForIdentity: `{ "<ProviderName>": "<ID token>" }`. This
// service checks the ID tokens of its own user pools itself, with the same checks GetUser makes on
// access tokens (../token-verification.ts), and words refusals as Cognito Identity does.
import { decodeJwt, type JWTPayload } from 'jose';
import type { ServiceContext } from '../context';
import { notAuthorized } from '../errors';
import { type TokenProblem, TokenRejected, tokenHolder, verifySignedToken } from '../token-verification';
import { type Input, optionalStringMap, validationError } from '../validate';
import type { IdentityPoolRecord } from './pool-records';
import { userPoolOfProvider } from './pool-settings';

export interface VerifiedLogin {
  /** The Logins key: the identity pool's ProviderName. */
  provider: string;
  /** The app client the token was issued to (its aud). */
  clientId: string;
  /** The user's sub: one identity per (identity pool, provider, sub). */
  subject: string;
  claims: JWTPayload;
}

const MAX_LOGINS = 10;

const unsupportedProvider = () =>
  notAuthorized('Token is not from a supported provider of this identity pool.');

const refusals: Record<Exclude<TokenProblem, 'expired'>, string> = {
  invalid: "Invalid login token. Couldn't verify signed token.",
  user_not_found: 'Invalid login token. The user does not exist.',
  revoked: 'Invalid login token. The token has been revoked.',
  disabled: 'Invalid login token. The user is disabled.',
};

function refusal(problem: TokenProblem, token: string, ctx: ServiceContext) {
  if (problem !== 'expired') return notAuthorized(refusals[problem]);
  const { exp } = decodeJwt(token);
  return notAuthorized(`Invalid login token. Token expired: ${exp} >= ${Math.floor(ctx.now() / 1000)}`);
}

/** The Logins parameter, checked for shape; an empty map when absent. */
export function readLogins(input: Input): Record<string, string> {
  const logins = optionalStringMap(input, 'Logins') ?? {};
  const entries = Object.entries(logins);
  if (entries.length > MAX_LOGINS) {
    throw validationError(
      'logins',
      '[object]',
      `Member must have length less than or equal to ${MAX_LOGINS}`,
    );
  }
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 128) {
      throw validationError('logins', key, 'Map keys must have length between 1 and 128');
    }
    if (value.length < 1 || value.length > 50_000) {
      throw validationError(`logins.${key}`, undefined, 'Member must have length between 1 and 50000');
    }
  }
  return logins;
}

async function verifyLogin(
  ctx: ServiceContext,
  pool: IdentityPoolRecord,
  provider: string,
  token: string,
): Promise<VerifiedLogin> {
  const entries = (pool.config.CognitoIdentityProviders ?? []).filter((p) => p.ProviderName === provider);
  const userPoolId = userPoolOfProvider(provider)?.userPoolId;
  if (entries.length === 0 || !userPoolId) throw unsupportedProvider();
  try {
    const { pool: issuer, claims } = await verifySignedToken(ctx, token, 'id');
    if (issuer.id !== userPoolId)
      throw notAuthorized("Invalid login token. Issuer doesn't match providerName");
    const entry = entries.find((p) => p.ClientId === claims.aud);
    if (!entry) throw unsupportedProvider();
    const username = claims['cognito:username'];
    if (
      typeof claims.sub !== 'string' ||
      typeof username !== 'string' ||
      typeof claims.origin_jti !== 'string'
    ) {
      throw new TokenRejected('invalid');
    }
    // ServerSideTokenCheck: ask the user pool whether the user was since signed out, disabled or deleted.
    if (entry.ServerSideTokenCheck) {
      tokenHolder(ctx, issuer, { username, sub: claims.sub, originJti: claims.origin_jti });
    }
    return { provider, clientId: entry.ClientId, subject: claims.sub, claims };
  } catch (error) {
    if (error instanceof TokenRejected) throw refusal(error.problem, token, ctx);
    throw error;
  }
}

/** Every login checked; any refused login refuses the request, as in Cognito. */
export async function verifyLogins(
  ctx: ServiceContext,
  pool: IdentityPoolRecord,
  logins: Record<string, string>,
): Promise<VerifiedLogin[]> {
  const verified: VerifiedLogin[] = [];
  for (const [provider, token] of Object.entries(logins)) {
    verified.push(await verifyLogin(ctx, pool, provider, token));
  }
  return verified;
}
