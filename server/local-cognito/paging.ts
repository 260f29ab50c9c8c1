// Opaque page tokens for keyset pagination: the sort key of the last item returned, base64url-encoded.
// A page starts strictly after that key, so pages stay complete and duplicate-free while users are
// added or removed between calls.
import { invalidParameter } from './errors';
import { type Input, optionalInteger, optionalString } from './validate';

export type KeyPart = string | number;

export function encodePageToken(key: readonly KeyPart[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key in `token`, checked to have the given shape; InvalidParameterException otherwise. */
export function decodePageToken(token: string, shape: readonly ('string' | 'number')[]): KeyPart[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidParameter('Invalid pagination token.');
  }
  if (
    !Array.isArray(key) ||
    key.length !== shape.length ||
    key.some((part, index) => typeof part !== shape[index])
  ) {
    throw invalidParameter('Invalid pagination token.');
  }
  return key as KeyPart[];
}

export const MAX_PAGE = 60;

/**
 * A page size parameter: 0..60 (0 and absent mean 60, Cognito's default); over 60 fails with
 * Cognito's validation message.
 */
export function pageLimit(input: Input, field: string, { min = 0 } = {}): number {
  const limit = optionalInteger(input, field, { min, max: MAX_PAGE });
  return limit === undefined || limit === 0 ? MAX_PAGE : limit;
}

/** The token parameter, or undefined when absent or empty. */
export function pageToken(input: Input, field: string): string | undefined {
  const token = optionalString(input, field, { pattern: /^\S+$/, patternText: '[\\S]+' });
  return token === '' ? undefined : token;
}
