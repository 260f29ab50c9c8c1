import type { ServiceContext } from './context';

export interface GetResponse {
  status: number;
  body: unknown;
}

/** GET routes: `/<poolId>/.well-known/jwks.json` and `/<poolId>/.well-known/openid-configuration`. */
export function handleGet(_ctx: ServiceContext, _pathname: string): GetResponse | undefined {
  return undefined;
}
