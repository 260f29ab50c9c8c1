import type { ServiceContext } from './context';
import { issuerOf, jwks } from './tokens';

export interface GetResponse {
  status: number;
  body: unknown;
}

const ROUTE = /^\/([^/]+)\/\.well-known\/(jwks\.json|openid-configuration)$/;

/** GET routes: `/<poolId>/.well-known/jwks.json` and `/<poolId>/.well-known/openid-configuration`. */
export function handleGet(ctx: ServiceContext, pathname: string): GetResponse | undefined {
  const match = ROUTE.exec(pathname);
  if (!match) return undefined;
  let poolId: string;
  try {
    poolId = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  const pool = ctx.db.prepare('SELECT id FROM user_pools WHERE id = ?').get(poolId);
  if (!pool) return { status: 404, body: { message: `User pool ${poolId} does not exist.` } };
  if (match[2] === 'jwks.json') return { status: 200, body: jwks(ctx) };
  const issuer = issuerOf(ctx, poolId);
  // Only what this service really offers: no hosted UI, so no authorization/token endpoints.
  return {
    status: 200,
    body: {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      scopes_supported: ['openid', 'email', 'phone', 'profile'],
    },
  };
}
