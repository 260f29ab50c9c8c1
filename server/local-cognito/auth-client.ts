// What an app client allows and requires of an authentication request: the flows in its
// ExplicitAuthFlows, the SECRET_HASH of a client with a secret, and the string maps of the request.
import { createHmac } from 'node:crypto';
import { sameBytes } from './crypto';
import { invalidParameter, notAuthorized, userNotFound } from './errors';
import type { ClientRecord } from './store';

export type AuthFlow =
  | 'USER_PASSWORD_AUTH'
  | 'ADMIN_USER_PASSWORD_AUTH'
  | 'ADMIN_NO_SRP_AUTH'
  | 'CUSTOM_AUTH'
  | 'REFRESH_TOKEN_AUTH'
  | 'REFRESH_TOKEN';

// Each flow and the ExplicitAuthFlows values (current ALLOW_* and legacy) that enable it.
const ENABLED_BY: Record<AuthFlow, string[]> = {
  USER_PASSWORD_AUTH: ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'],
  ADMIN_USER_PASSWORD_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  ADMIN_NO_SRP_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  CUSTOM_AUTH: ['ALLOW_CUSTOM_AUTH', 'CUSTOM_AUTH_FLOW_ONLY'],
  REFRESH_TOKEN_AUTH: ['ALLOW_REFRESH_TOKEN_AUTH'],
  REFRESH_TOKEN: ['ALLOW_REFRESH_TOKEN_AUTH'],
};

// A client created without ExplicitAuthFlows allows these (Cognito's default).
const DEFAULT_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

/** Refuses a flow the client's ExplicitAuthFlows does not allow, with Cognito's message. */
export function requireFlowEnabled(client: ClientRecord, flow: AuthFlow): void {
  const configured = client.config.ExplicitAuthFlows;
  const flows = configured && configured.length > 0 ? configured : DEFAULT_FLOWS;
  // Clients configured only with legacy values (no ALLOW_*) always allowed refreshing.
  const legacyOnly = !flows.some((value) => value.startsWith('ALLOW_'));
  const refresh = flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN';
  if ((refresh && legacyOnly) || ENABLED_BY[flow].some((value) => flows.includes(value))) return;
  throw invalidParameter(
    flow === 'USER_PASSWORD_AUTH'
      ? 'USER_PASSWORD_AUTH flow not enabled for this client'
      : 'Auth flow not enabled for this client',
  );
}

/** Cognito's SECRET_HASH: Base64(HMAC-SHA256(key = client secret, message = username + client id)). */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac('sha256', clientSecret)
    .update(username + clientId)
    .digest('base64');
}

/**
 * For a client with a secret, the request must carry SECRET_HASH computed over one of `usernames`
 * (the name the caller gave; for a refresh, the token's user).
 */
export function requireSecretHash(
  client: ClientRecord,
  given: string | undefined,
  usernames: string[],
): void {
  if (!client.secret) return;
  if (given === undefined || given === '') {
    throw notAuthorized(`Client ${client.clientId} is configured for secret but secret was not received`);
  }
  const actual = Buffer.from(given);
  const ok = usernames.some((username) => {
    const expected = Buffer.from(secretHash(client.secret as string, username, client.clientId));
    return sameBytes(expected, actual);
  });
  if (!ok) throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
}

/** A request's string map (AuthParameters, ChallengeResponses, ClientMetadata); undefined when absent. */
export function stringMap(value: unknown, name: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidParameter(`${name} must be a map`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw invalidParameter(`${name}.${key} must be a string`);
    out[key] = item;
  }
  return out;
}

/** A required entry of AuthParameters / ChallengeResponses, with Cognito's message when missing. */
function requiredParameter(map: Record<string, string> | undefined, name: string): string {
  const value = map?.[name];
  if (value === undefined || value === '') throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

/**
 * USERNAME and the other entries a sign-in step requires, checked in Cognito's order (USERNAME, then
 * the others), then the SECRET_HASH of a client with a secret, over that USERNAME.
 */
export function requiredSignedParameters<Name extends string>(
  client: ClientRecord,
  map: Record<string, string> | undefined,
  names: readonly Name[],
): Record<'USERNAME' | Name, string> {
  const values = { USERNAME: requiredParameter(map, 'USERNAME') } as Record<'USERNAME' | Name, string>;
  for (const name of names) values[name] = requiredParameter(map, name);
  requireSecretHash(client, map?.SECRET_HASH, [values.USERNAME]);
  return values;
}

/** An unknown user: UserNotFoundException, unless the client hides user existence. */
export function unknownUser(client: ClientRecord): Error {
  return client.config.PreventUserExistenceErrors === 'ENABLED'
    ? notAuthorized('Incorrect username or password.')
    : userNotFound();
}

export const incorrectCredentials = () => notAuthorized('Incorrect username or password.');
