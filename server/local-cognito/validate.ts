// Request field readers that fail the way Cognito's request validation does: InvalidParameterException
// with "1 validation error detected: Value '<v>' at '<member>' failed to satisfy constraint: ...".
import { CognitoError } from './errors';

export type Input = Record<string, unknown>;

/** Cognito names members in validation messages in lower camel case: UserPoolId → userPoolId. */
export const memberName = (field: string) => field.charAt(0).toLowerCase() + field.slice(1);

export interface ValidationOptions {
  /** Member path in the message; defaults to the field name in lower camel case. */
  path?: string;
  /** Passwords and secrets: the message leaves the value out, as Cognito does. */
  sensitive?: boolean;
}

export function validationError(
  path: string,
  value: unknown,
  constraint: string,
  sensitive = false,
): CognitoError {
  const shown =
    value === undefined || value === null
      ? 'null'
      : `'${Array.isArray(value) ? `[${value.join(', ')}]` : String(value)}'`;
  const subject = sensitive ? 'Value at' : `Value ${shown} at`;
  return new CognitoError(
    'InvalidParameterException',
    `1 validation error detected: ${subject} '${path}' failed to satisfy constraint: ${constraint}`,
  );
}

export const NAME_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
export const NAME_PATTERN_TEXT = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+';
/** Every ARN Cognito and Cognito Identity take is 20 to 2048 characters long. */
export const ARN_LENGTH = { min: 20, max: 2048 };
export const ARN_PATTERN =
  /^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$/;
export const ARN_PATTERN_TEXT =
  'arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?';

export interface StringRules extends ValidationOptions {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** The pattern as Cognito prints it in the message. */
  patternText?: string;
}

export function optionalString(input: Input, field: string, rules: StringRules = {}): string | undefined {
  const value = input[field];
  const path = rules.path ?? memberName(field);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw validationError(path, value, 'Member must be a string', rules.sensitive);
  }
  const length = [...value].length;
  if (rules.min !== undefined && length < rules.min) {
    throw validationError(
      path,
      value,
      `Member must have length greater than or equal to ${rules.min}`,
      rules.sensitive,
    );
  }
  if (rules.max !== undefined && length > rules.max) {
    throw validationError(
      path,
      value,
      `Member must have length less than or equal to ${rules.max}`,
      rules.sensitive,
    );
  }
  if (rules.pattern && !rules.pattern.test(value)) {
    throw validationError(
      path,
      value,
      `Member must satisfy regular expression pattern: ${rules.patternText ?? rules.pattern.source}`,
      rules.sensitive,
    );
  }
  return value;
}

export function requiredString(input: Input, field: string, rules: StringRules = {}): string {
  const value = optionalString(input, field, rules);
  if (value === undefined) {
    throw validationError(rules.path ?? memberName(field), undefined, 'Member must not be null');
  }
  return value;
}

export function optionalInteger(
  input: Input,
  field: string,
  rules: { min?: number; max?: number; path?: string } = {},
): number | undefined {
  const value = input[field];
  const path = rules.path ?? memberName(field);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw validationError(path, value, 'Member must be an integer');
  }
  if (rules.min !== undefined && value < rules.min) {
    throw validationError(path, value, `Member must have value greater than or equal to ${rules.min}`);
  }
  if (rules.max !== undefined && value > rules.max) {
    throw validationError(path, value, `Member must have value less than or equal to ${rules.max}`);
  }
  return value;
}

export function optionalBoolean(input: Input, field: string, path = memberName(field)): boolean | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(path, value, 'Member must be a boolean');
  return value;
}

export function optionalEnum<T extends string>(
  input: Input,
  field: string,
  values: readonly T[],
  path = memberName(field),
): T | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw validationError(path, value, `Member must satisfy enum value set: [${values.join(', ')}]`);
  }
  return value as T;
}

export function optionalStringList(
  input: Input,
  field: string,
  rules: { values?: readonly string[]; maxItems?: number; path?: string; item?: StringRules } = {},
): string[] | undefined {
  const value = input[field];
  const path = rules.path ?? memberName(field);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw validationError(path, value, 'Member must be a list of strings');
  }
  const list = value as string[];
  if (rules.maxItems !== undefined && list.length > rules.maxItems) {
    throw validationError(path, list, `Member must have length less than or equal to ${rules.maxItems}`);
  }
  if (rules.values) {
    const allowed = rules.values;
    if (list.some((item) => !allowed.includes(item))) {
      throw validationError(
        path,
        list,
        `Member must satisfy constraint: [Member must satisfy enum value set: [${allowed.join(', ')}]]`,
      );
    }
  }
  if (rules.item) {
    list.forEach((item, index) => {
      optionalString({ item }, 'item', { ...rules.item, path: `${path}.${index + 1}.member` });
    });
  }
  return list;
}

export function optionalObject(input: Input, field: string, path = memberName(field)): Input | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw validationError(path, '[object]', 'Member must be a structure');
  }
  return value as Input;
}

/** A map of string to string (ClientMetadata, ...). */
export function optionalStringMap(
  input: Input,
  field: string,
  path = memberName(field),
): Record<string, string> | undefined {
  const value = optionalObject(input, field, path);
  if (!value) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw validationError(`${path}.${key}`, item, 'Member must be a string');
    out[key] = item;
  }
  return out;
}

/** The pool id parameter, shaped as Cognito's: `<region>_<alphanumerics>`. */
export function userPoolIdOf(input: Input): string {
  return requiredString(input, 'UserPoolId', { min: 1, max: 55, pattern: /^[\w-]+_[0-9a-zA-Z]+$/ });
}
