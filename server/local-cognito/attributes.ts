// User attributes: the pool's schema (standard attributes plus the custom ones it declares) and the
// checks Cognito applies to UserAttributes in AdminCreateUser / AdminUpdateUserAttributes.
import { invalidParameter } from './errors';
import type { PoolRecord } from './store';
import { type Input, memberName, validationError } from './validate';

export interface SchemaAttribute {
  Name: string;
  AttributeDataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  DeveloperOnlyAttribute: boolean;
  Mutable: boolean;
  Required: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

const text = (Name: string, extra: Partial<SchemaAttribute> = {}): SchemaAttribute => ({
  Name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: { MinLength: '0', MaxLength: '2048' },
  ...extra,
});
const flag = (Name: string): SchemaAttribute => ({
  Name,
  AttributeDataType: 'Boolean',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
});

/** The standard attributes every user pool has, as DescribeUserPool lists them. */
export const STANDARD_SCHEMA: readonly SchemaAttribute[] = [
  text('sub', {
    Mutable: false,
    Required: true,
    StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' },
  }),
  text('name'),
  text('given_name'),
  text('family_name'),
  text('middle_name'),
  text('nickname'),
  text('preferred_username'),
  text('profile'),
  text('picture'),
  text('website'),
  text('email'),
  flag('email_verified'),
  text('gender'),
  text('birthdate', { StringAttributeConstraints: { MinLength: '10', MaxLength: '10' } }),
  text('zoneinfo'),
  text('locale'),
  text('phone_number'),
  flag('phone_number_verified'),
  text('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
];

const DATA_TYPES = ['String', 'Number', 'DateTime', 'Boolean'] as const;

/**
 * The schema a CreateUserPool request asks for, as stored with the pool: only what differs from the
 * standard attributes — a standard name changes that attribute (e.g. Required), any other name is a
 * custom attribute `custom:<name>`.
 */
export function readSchema(schema: unknown): SchemaAttribute[] {
  const changes: SchemaAttribute[] = [];
  if (schema === undefined || schema === null) return changes;
  if (!Array.isArray(schema)) throw validationError('schema', '[object]', 'Member must be a list');
  schema.forEach((entry: unknown, index) => {
    const path = `schema.${index + 1}.member`;
    if (entry === null || typeof entry !== 'object')
      throw validationError(path, entry, 'Member must be a structure');
    const item = entry as Input;
    const name = item.Name;
    if (typeof name !== 'string' || !/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,20}$/u.test(name)) {
      throw validationError(
        `${path}.name`,
        name,
        'Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+',
      );
    }
    const dataType = item.AttributeDataType ?? 'String';
    if (typeof dataType !== 'string' || !(DATA_TYPES as readonly string[]).includes(dataType)) {
      throw validationError(
        `${path}.attributeDataType`,
        dataType,
        `Member must satisfy enum value set: [${DATA_TYPES.join(', ')}]`,
      );
    }
    const standard = STANDARD_SCHEMA.find((attribute) => attribute.Name === name);
    if (standard) {
      const changed: SchemaAttribute = { ...standard };
      if (typeof item.Required === 'boolean') changed.Required = item.Required;
      if (typeof item.Mutable === 'boolean') changed.Mutable = item.Mutable;
      if (isConstraints(item.StringAttributeConstraints)) {
        changed.StringAttributeConstraints = {
          ...standard.StringAttributeConstraints,
          ...item.StringAttributeConstraints,
        };
      }
      changes.push(changed);
      return;
    }
    const customName = name.startsWith('custom:') ? name : `custom:${name}`;
    if (changes.some((attribute) => attribute.Name === customName)) {
      throw invalidParameter(`Duplicate attribute name: ${name}`);
    }
    if (item.Required === true)
      throw invalidParameter('Required custom attributes are not supported currently.');
    const custom: SchemaAttribute = {
      Name: customName,
      AttributeDataType: dataType as SchemaAttribute['AttributeDataType'],
      DeveloperOnlyAttribute: item.DeveloperOnlyAttribute === true,
      Mutable: item.Mutable !== false,
      Required: false,
    };
    if (dataType === 'String') {
      custom.StringAttributeConstraints = isConstraints(item.StringAttributeConstraints)
        ? { ...item.StringAttributeConstraints }
        : {};
    }
    if (dataType === 'Number') {
      custom.NumberAttributeConstraints = isConstraints(item.NumberAttributeConstraints)
        ? { ...item.NumberAttributeConstraints }
        : {};
    }
    changes.push(custom);
  });
  return changes;
}

/** DescribeUserPool's SchemaAttributes: the standard attributes with a pool's changes applied. */
export function fullSchema(changes: readonly SchemaAttribute[] | undefined): SchemaAttribute[] {
  const byName = new Map((changes ?? []).map((attribute) => [attribute.Name, attribute]));
  const standard = STANDARD_SCHEMA.map((attribute) => byName.get(attribute.Name) ?? attribute);
  const custom = (changes ?? []).filter(
    (attribute) => !STANDARD_SCHEMA.some((s) => s.Name === attribute.Name),
  );
  return [...standard, ...custom];
}

function isConstraints(value: unknown): value is Record<string, string> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string')
  );
}

/** The pool's full schema (its stored Schema changes applied to the standard attributes). */
export function schemaOf(pool: PoolRecord): SchemaAttribute[] {
  const changes = pool.config.Schema;
  return fullSchema(Array.isArray(changes) ? (changes as SchemaAttribute[]) : undefined);
}

export interface AttributeInput {
  Name: string;
  Value: string;
}

const schemaError = (name: string, reason: string) =>
  invalidParameter(`Attributes did not conform to the schema: ${name}: ${reason}`);

// Deliberately loose, like Cognito's: something@something, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+[0-9]{4,15}$/;

/**
 * Reads an AttributeType list (UserAttributes) and checks every entry against the pool's schema:
 * known name, value within limits, email and phone number formats, sub never settable. Later entries
 * of the same name win, as in Cognito.
 */
export function readAttributes(pool: PoolRecord, input: Input, field: string): Map<string, string> {
  const raw = input[field];
  const path = memberName(field);
  const out = new Map<string, string>();
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) throw validationError(path, '[object]', 'Member must be a list');
  const schema = schemaOf(pool);
  raw.forEach((entry: unknown, index) => {
    const itemPath = `${path}.${index + 1}.member`;
    if (entry === null || typeof entry !== 'object')
      throw validationError(itemPath, entry, 'Member must be a structure');
    const { Name: name, Value: rawValue } = entry as Input;
    if (typeof name !== 'string' || name.length < 1 || name.length > 32) {
      throw validationError(`${itemPath}.name`, name, 'Member must have length between 1 and 32');
    }
    const value = rawValue === undefined || rawValue === null ? '' : rawValue;
    if (typeof value !== 'string')
      throw validationError(`${itemPath}.value`, value, 'Member must be a string');
    if ([...value].length > 2048) {
      throw validationError(`${itemPath}.value`, value, 'Member must have length less than or equal to 2048');
    }
    if (name === 'sub') throw invalidParameter('Cannot modify the non-mutable attribute sub');
    const attribute = schema.find((candidate) => candidate.Name === name);
    if (!attribute) throw schemaError(name, 'Attribute does not exist in the schema.');
    if (attribute.AttributeDataType === 'Boolean' && value !== 'true' && value !== 'false') {
      throw schemaError(name, 'Attribute value must be true or false.');
    }
    if (name === 'email' && !EMAIL.test(value)) throw invalidParameter('Invalid email address format.');
    if (name === 'phone_number' && !PHONE.test(value)) throw invalidParameter('Invalid phone number format.');
    out.set(name, value);
  });
  return out;
}

/** Required schema attributes missing from a new user's attributes fail AdminCreateUser. */
export function checkRequiredAttributes(pool: PoolRecord, attributes: Map<string, string>): void {
  for (const attribute of schemaOf(pool)) {
    if (attribute.Required && attribute.Name !== 'sub' && !attributes.get(attribute.Name)) {
      throw schemaError(attribute.Name, 'The attribute is required');
    }
  }
}

/** Attributes that cannot change once set (sub, and custom attributes declared immutable). */
export function checkMutable(
  pool: PoolRecord,
  current: Record<string, string>,
  names: Iterable<string>,
): void {
  const schema = schemaOf(pool);
  for (const name of names) {
    const attribute = schema.find((candidate) => candidate.Name === name);
    if (attribute && !attribute.Mutable && current[name] !== undefined) {
      throw invalidParameter(`Cannot modify the non-mutable attribute ${name}`);
    }
  }
}

export const isEmail = (value: string) => EMAIL.test(value);
export const isPhoneNumber = (value: string) => PHONE.test(value);
