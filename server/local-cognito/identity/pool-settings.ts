// The settings CreateIdentityPool and UpdateIdentityPool take, read and checked as Cognito Identity's
// request validation does. UpdateIdentityPool replaces them all: what it is not given is removed.
import { invalidParameter } from '../errors';
import {
  ARN_LENGTH,
  type Input,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalStringList,
  optionalStringMap,
  requiredString,
  validationError,
} from '../validate';
import type { CognitoIdentityProvider, IdentityPoolConfig } from './pool-records';

const POOL_NAME_RULES = {
  min: 1,
  max: 128,
  pattern: /^[\w\s+=,.@-]+$/,
  patternText: '[\\w\\s+=,.@-]+',
};

/**
 * The user pool a provider name names: `cognito-idp.<region>.amazonaws.com/<userPoolId>`. Parsed
 * with string operations and one unambiguous pattern, so any input is read in linear time.
 */
export function userPoolOfProvider(providerName: string): { region: string; userPoolId: string } | undefined {
  const prefix = 'cognito-idp.';
  const middle = '.amazonaws.com/';
  if (!providerName.startsWith(prefix)) return undefined;
  const at = providerName.indexOf(middle, prefix.length);
  if (at < 0) return undefined;
  const region = providerName.slice(prefix.length, at);
  const userPoolId = providerName.slice(at + middle.length);
  if (!/^[a-z0-9-]+$/.test(region) || !/^[a-z0-9-]+_[0-9A-Za-z]+$/.test(userPoolId)) return undefined;
  if (!userPoolId.startsWith(`${region}_`)) return undefined;
  return { region, userPoolId };
}

function readProviders(input: Input): CognitoIdentityProvider[] | undefined {
  const value = input.CognitoIdentityProviders;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw validationError('cognitoIdentityProviders', '[object]', 'Member must be a list');
  }
  return value.map((item: unknown, index) => {
    const path = `cognitoIdentityProviders.${index + 1}.member`;
    const entry = optionalObject({ item }, 'item', path) ?? {};
    const ProviderName = requiredString(entry, 'ProviderName', {
      path: `${path}.providerName`,
      min: 1,
      max: 128,
      pattern: /^[\w._:/-]+$/,
      patternText: '[\\w._:/-]+',
    });
    const ClientId = requiredString(entry, 'ClientId', {
      path: `${path}.clientId`,
      min: 1,
      max: 128,
      pattern: /^[\w_]+$/,
      patternText: '[\\w_]+',
    });
    if (!userPoolOfProvider(ProviderName)) {
      throw invalidParameter(
        `Invalid Cognito Identity Provider ${ProviderName}: expected cognito-idp.<region>.amazonaws.com/<userPoolId>`,
      );
    }
    const ServerSideTokenCheck =
      optionalBoolean(entry, 'ServerSideTokenCheck', `${path}.serverSideTokenCheck`) ?? false;
    return { ProviderName, ClientId, ServerSideTokenCheck };
  });
}

/** IdentityPoolName and the IdentityPool settings of a create or update request. */
export function readIdentityPoolSettings(input: Input): { name: string; config: IdentityPoolConfig } {
  const name = requiredString(input, 'IdentityPoolName', POOL_NAME_RULES);
  const allowUnauthenticated = optionalBoolean(input, 'AllowUnauthenticatedIdentities');
  if (allowUnauthenticated === undefined) {
    throw validationError('allowUnauthenticatedIdentities', undefined, 'Member must not be null');
  }
  const config: IdentityPoolConfig = { AllowUnauthenticatedIdentities: allowUnauthenticated };
  const classic = optionalBoolean(input, 'AllowClassicFlow');
  if (classic !== undefined) config.AllowClassicFlow = classic;
  const providers = readProviders(input);
  if (providers) config.CognitoIdentityProviders = providers;
  const supported = optionalStringMap(input, 'SupportedLoginProviders');
  if (supported) config.SupportedLoginProviders = supported;
  const developer = optionalString(input, 'DeveloperProviderName', {
    min: 1,
    max: 128,
    pattern: /^[\w._-]+$/,
    patternText: '[\\w._-]+',
  });
  if (developer !== undefined) config.DeveloperProviderName = developer;
  const oidc = optionalStringList(input, 'OpenIdConnectProviderARNs', { item: ARN_LENGTH });
  if (oidc) config.OpenIdConnectProviderARNs = oidc;
  const saml = optionalStringList(input, 'SamlProviderARNs', { item: ARN_LENGTH });
  if (saml) config.SamlProviderARNs = saml;
  const tags = optionalStringMap(input, 'IdentityPoolTags');
  if (tags) config.IdentityPoolTags = tags;
  return { name, config };
}
