// ListUsers: Cognito's filter grammar (`attr = "value"`, `attr ^= "prefix"`) turned into one index
// range scan, with keyset pagination in index order so pages stay complete and duplicate-free.
import type { Statement } from 'better-sqlite3';
import type { ServiceContext } from './context';
import { invalidParameter } from './errors';
import { decodePageToken, encodePageToken, type KeyPart } from './paging';
import { stmt } from './sql';
import { type PoolRecord, toUserRecord, type UserRecord, usernameKey } from './store';

type UserRow = Parameters<typeof toUserRecord>[0] & { phone_number: string | null };

interface SearchField {
  /** SQL expression; each has an index (pool_id, <expression>, username_key) — see db.ts. */
  column: string;
  /** How a filter value is compared with the stored value (e.g. lower-cased for email). */
  normalize(pool: PoolRecord, value: string): string;
  /** Unique per pool: pages need no username_key tie-break. */
  unique?: boolean;
}

const asIs = (_pool: PoolRecord, value: string) => value;
const attributeColumn = (name: string) => `json_extract(attributes, '$.${name}')`;

// The attributes Cognito can search. Email matches case-insensitively (the column holds it
// lower-cased), cognito:user_status too; username follows the pool's case sensitivity; the rest match
// exactly. `status` ("Enabled"/"Disabled") is handled apart because it is stored as a flag.
const SEARCH_FIELDS: Record<string, SearchField> = {
  username: { column: 'username_key', normalize: (pool, value) => usernameKey(pool, value), unique: true },
  email: { column: 'email', normalize: (_pool, value) => value.toLowerCase() },
  phone_number: { column: 'phone_number', normalize: asIs },
  name: { column: attributeColumn('name'), normalize: asIs },
  given_name: { column: attributeColumn('given_name'), normalize: asIs },
  family_name: { column: attributeColumn('family_name'), normalize: asIs },
  preferred_username: { column: attributeColumn('preferred_username'), normalize: asIs },
  'cognito:user_status': { column: 'status', normalize: (_pool, value) => value.toUpperCase() },
  sub: { column: 'sub', normalize: asIs, unique: true },
};

export interface UserFilter {
  attribute: string;
  operator: '=' | '^=';
  value: string;
}

const FILTER = /^\s*([^\s=^"]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/s;

/** Parses a ListUsers Filter; undefined for an empty filter (all users). */
export function parseFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined;
  const match = FILTER.exec(filter);
  if (!match) throw invalidParameter('Error while parsing filter');
  const [, attribute, operator, quoted] = match;
  if (!attribute || !(Object.hasOwn(SEARCH_FIELDS, attribute) || attribute === 'status')) {
    throw invalidParameter(`Invalid search attribute: ${attribute}`);
  }
  return { attribute, operator: operator as '=' | '^=', value: quoted!.replace(/\\(.)/gs, '$1') };
}

/**
 * The smallest string greater than every string starting with `prefix` (in SQLite's BINARY order,
 * which for UTF-8 is code point order), or undefined when there is none (empty prefix).
 */
export function prefixUpperBound(prefix: string): string | undefined {
  const points = [...prefix].map((char) => char.codePointAt(0)!);
  while (points.length > 0) {
    let last = points.pop()!;
    if (last === 0x10ffff) continue;
    last += 1;
    if (last >= 0xd800 && last <= 0xdfff) last = 0xe000;
    points.push(last);
    return String.fromCodePoint(...points);
  }
  return undefined;
}

export interface UserPage {
  users: UserRecord[];
  nextToken?: string;
}

interface Plan {
  where: string[];
  params: (string | number)[];
  /** Sort key columns, in order; the page token holds their values for the last row. */
  order: string[];
  shape: ('string' | 'number')[];
  keyOf(row: UserRow): KeyPart[];
}

export interface UserQuery {
  sql: string;
  params: (string | number)[];
  keyOf(row: UserRow): KeyPart[];
}

/**
 * The SQL for one page of the pool's users matching `filter`, in index order, starting after `token`;
 * undefined when nothing can match. It fetches `limit + 1` rows: the extra one says whether another
 * page exists, so the last page carries no token.
 */
export function userQuery(
  pool: PoolRecord,
  filter: UserFilter | undefined,
  limit: number,
  token: string | undefined,
): UserQuery | undefined {
  const plan = planFor(pool, filter);
  if (!plan) return undefined;
  const where = [...plan.where];
  const params = [...plan.params];
  if (token !== undefined) {
    const key = decodePageToken(token, plan.shape);
    where.push(
      plan.order.length === 1
        ? `${plan.order[0]} > ?`
        : `(${plan.order.join(', ')}) > (${plan.order.map(() => '?').join(', ')})`,
    );
    params.push(...key);
  }
  return {
    sql: `SELECT * FROM users WHERE ${where.join(' AND ')} ORDER BY ${plan.order.join(', ')} LIMIT ?`,
    params: [...params, limit + 1],
    keyOf: plan.keyOf,
  };
}

/** One page of the pool's users matching `filter`, starting after `token`. */
export function listUsers(
  ctx: ServiceContext,
  pool: PoolRecord,
  filter: UserFilter | undefined,
  limit: number,
  token: string | undefined,
): UserPage {
  const query = userQuery(pool, filter, limit, token);
  if (!query) return { users: [] };
  const rows = (stmt(ctx.db, query.sql) as Statement<unknown[], UserRow>).all(...query.params);
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    users: pageRows.map(toUserRecord),
    nextToken: more && last ? encodePageToken(query.keyOf(last)) : undefined,
  };
}

function planFor(pool: PoolRecord, filter: UserFilter | undefined): Plan | undefined {
  const byUsername = (where: string[], params: (string | number)[]): Plan => ({
    where,
    params,
    order: ['username_key'],
    shape: ['string'],
    keyOf: (row) => [row.username_key],
  });
  if (!filter) return byUsername(['pool_id = ?'], [pool.id]);

  if (filter.attribute === 'status') {
    // "Enabled" / "Disabled", case-sensitive; a prefix may match one, both or neither.
    const flags = [
      ['Enabled', 1],
      ['Disabled', 0],
    ].filter(([label]) =>
      filter.operator === '=' ? label === filter.value : (label as string).startsWith(filter.value),
    );
    if (flags.length === 0) return undefined;
    if (flags.length === 2) return byUsername(['pool_id = ?'], [pool.id]);
    // Disabled users have a partial index; enabled ones (most) are found walking the primary key.
    return byUsername(['pool_id = ?', `enabled = ${flags[0]![1]}`], [pool.id]);
  }

  const field = SEARCH_FIELDS[filter.attribute]!;
  const value = field.normalize(pool, filter.value);
  if (filter.operator === '=') {
    return byUsername(['pool_id = ?', `${field.column} = ?`], [pool.id, value]);
  }
  const where = ['pool_id = ?', `${field.column} >= ?`];
  const params: (string | number)[] = [pool.id, value];
  const upper = prefixUpperBound(value);
  if (upper !== undefined) {
    where.push(`${field.column} < ?`);
    params.push(upper);
  }
  const columnValue = (row: UserRow): string => {
    if (field.column === 'username_key') return row.username_key;
    if (field.column === 'sub') return row.sub;
    if (field.column === 'email') return row.email ?? '';
    if (field.column === 'phone_number') return row.phone_number ?? '';
    if (field.column === 'status') return row.status;
    const attributes = JSON.parse(row.attributes) as Record<string, string>;
    return attributes[filter.attribute] ?? '';
  };
  if (field.unique) {
    return { where, params, order: [field.column], shape: ['string'], keyOf: (row) => [columnValue(row)] };
  }
  return {
    where,
    params,
    order: [field.column, 'username_key'],
    shape: ['string', 'string'],
    keyOf: (row) => [columnValue(row), row.username_key],
  };
}
