// Which IAM role GetCredentialsForIdentity assumes, as Cognito Identity chooses it: the role mapping of
// the login's `<ProviderName>:<ClientId>` (Token: the token's cognito:preferred_role, or a CustomRoleArn
// among its cognito:roles; Rules: the first matching rule), the mapping's AmbiguousRoleResolution when
// that decides nothing, and the pool's authenticated role when there is no mapping.
import type { JWTPayload } from 'jose';
import { CognitoError, notAuthorized } from '../errors';
import type { IdentityPoolRecord, MappingRule, RoleMapping } from './pool-records';

export interface RoleLogin {
  provider: string;
  clientId: string;
  claims: JWTPayload;
}

const invalidConfiguration = () =>
  new CognitoError(
    'InvalidIdentityPoolConfigurationException',
    'Invalid identity pool configuration. Check assigned IAM roles for this pool.',
  );

const customRoleRefused = () =>
  notAuthorized('Invalid CustomRoleArn: the login token does not grant this role (cognito:roles).');

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Token mapping: the CustomRoleArn when the token lists it, else the preferred role, else its only role. */
function roleFromToken(claims: JWTPayload, customRoleArn: string | undefined): string | undefined {
  const roles = stringList(claims['cognito:roles']);
  if (customRoleArn !== undefined) {
    if (!roles.includes(customRoleArn)) throw customRoleRefused();
    return customRoleArn;
  }
  const preferred = claims['cognito:preferred_role'];
  if (typeof preferred === 'string') return preferred;
  return roles.length === 1 ? roles[0] : undefined;
}

function ruleMatches(rule: MappingRule, claims: JWTPayload): boolean {
  const claim = claims[rule.Claim];
  const values = typeof claim === 'string' ? [claim] : stringList(claim);
  if (values.length === 0) return false;
  switch (rule.MatchType) {
    case 'Equals':
      return values.includes(rule.Value);
    case 'NotEqual':
      return !values.includes(rule.Value);
    case 'Contains':
      return values.some((value) => value.includes(rule.Value));
    case 'StartsWith':
      return values.some((value) => value.startsWith(rule.Value));
  }
}

function roleFromMapping(mapping: RoleMapping, claims: JWTPayload, customRoleArn: string | undefined) {
  if (mapping.Type === 'Token') return roleFromToken(claims, customRoleArn);
  return mapping.RulesConfiguration?.Rules.find((rule) => ruleMatches(rule, claims))?.RoleARN;
}

/** The role for an authenticated login; throws Cognito Identity's refusal when there is none. */
export function chooseAuthenticatedRole(
  pool: IdentityPoolRecord,
  login: RoleLogin,
  customRoleArn: string | undefined,
): string {
  const mapping = pool.roleMappings[`${login.provider}:${login.clientId}`];
  let role = mapping ? roleFromMapping(mapping, login.claims, customRoleArn) : undefined;
  if (role === undefined) {
    if (mapping && mapping.AmbiguousRoleResolution !== 'AuthenticatedRole') {
      throw notAuthorized(`The ambiguous role mapping rules for: ${login.provider} denied this request.`);
    }
    role = pool.roles.authenticated;
    if (role === undefined) throw invalidConfiguration();
  }
  // A CustomRoleArn picks among the token's roles only; it never reaches a role the pool did not choose.
  if (customRoleArn !== undefined && customRoleArn !== role) throw customRoleRefused();
  return role;
}

/** The role for an identity without logins: the pool's unauthenticated role. */
export function chooseUnauthenticatedRole(pool: IdentityPoolRecord): string {
  const role = pool.roles.unauthenticated;
  if (role === undefined) throw invalidConfiguration();
  return role;
}
