// Conformance: ListUsers — pagination, Limit, the filter grammar with Cognito's matching rules,
// AttributesToGet — over HTTP with the unmodified AWS SDK v3; and the index each filter uses.
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  ListUsersCommand,
  type ListUsersCommandInput,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attribute, expectCognitoError, newEmailPool, newPool, newUser } from './admin-test-fixture';
import { parseFilter, prefixUpperBound, userQuery } from './list-users';
import { getPool } from './store';
import { startTestService, type TestService } from './test-support';

let t: TestService;
let bigPool: string;
const bigPoolUsers = new Map<string, string>(); // username → email

beforeAll(async () => {
  t = await startTestService();
  bigPool = await newEmailPool(t);
  for (let i = 0; i < 130; i++) {
    const email = `member${String(i).padStart(3, '0')}@example.com`;
    const user = await newUser(t, bigPool, email);
    bigPoolUsers.set(user.Username!, email);
  }
});

afterAll(async () => {
  await t.close();
});

/** Every page of a ListUsers call, following PaginationToken to the end. */
async function allPages(input: ListUsersCommandInput): Promise<UserType[][]> {
  const pages: UserType[][] = [];
  let token: string | undefined;
  do {
    const page = await t.client.send(new ListUsersCommand({ ...input, PaginationToken: token }));
    pages.push(page.Users ?? []);
    token = page.PaginationToken;
  } while (token);
  return pages;
}

const usernames = (pages: UserType[][]) => pages.flat().map((user) => user.Username!);

describe('ListUsers pagination', () => {
  it('returns 130 users in pages of 60, each once', async () => {
    const pages = await allPages({ UserPoolId: bigPool, Limit: 60 });
    expect(pages.map((page) => page.length)).toEqual([60, 60, 10]);
    const seen = usernames(pages);
    expect(new Set(seen).size).toBe(130);
    expect(new Set(seen)).toEqual(new Set(bigPoolUsers.keys()));
  });

  it('returns 130 users in pages of 25, each once', async () => {
    const pages = await allPages({ UserPoolId: bigPool, Limit: 25 });
    expect(pages.map((page) => page.length)).toEqual([25, 25, 25, 25, 25, 5]);
    expect(new Set(usernames(pages))).toEqual(new Set(bigPoolUsers.keys()));
    expect(usernames(pages)).toHaveLength(130);
  });

  it('defaults to pages of 60 and leaves PaginationToken off the last page', async () => {
    const first = await t.client.send(new ListUsersCommand({ UserPoolId: bigPool }));
    expect(first.Users).toHaveLength(60);
    expect(first.PaginationToken).toEqual(expect.any(String));
    const small = await newPool(t);
    await newUser(t, small, 'only');
    const only = await t.client.send(new ListUsersCommand({ UserPoolId: small }));
    expect(only.Users?.map((user) => user.Username)).toEqual(['only']);
    expect(only.PaginationToken).toBeUndefined();
  });

  it('refuses Limit 61 with Cognito’s validation message', async () => {
    await expectCognitoError(
      t.client.send(new ListUsersCommand({ UserPoolId: bigPool, Limit: 61 })),
      'InvalidParameterException',
      "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  });

  it('refuses a PaginationToken it did not issue', async () => {
    await expectCognitoError(
      t.client.send(new ListUsersCommand({ UserPoolId: bigPool, PaginationToken: 'bm90LWEtdG9rZW4' })),
      'InvalidParameterException',
    );
  });

  it('keeps pages complete and duplicate-free while users come and go between pages', async () => {
    const pool = await newPool(t);
    const names = Array.from({ length: 90 }, (_, i) => `user${String(i).padStart(2, '0')}`);
    for (const name of names) await newUser(t, pool, name);
    const seen: string[] = [];
    let token: string | undefined;
    let round = 0;
    do {
      const page = await t.client.send(
        new ListUsersCommand({ UserPoolId: pool, Limit: 20, PaginationToken: token }),
      );
      seen.push(...page.Users!.map((user) => user.Username!));
      token = page.PaginationToken;
      // Between pages: a user sorting before the cursor, one after it, and a deletion behind it.
      await newUser(t, pool, `aaa-new-${round}`);
      await newUser(t, pool, `zzz-new-${round}`);
      if (round === 1)
        await t.client.send(new AdminDeleteUserCommand({ UserPoolId: pool, Username: 'user05' }));
      round++;
    } while (token);
    expect(new Set(seen).size).toBe(seen.length);
    for (const name of names) expect(seen).toContain(name);
  });
});

describe('ListUsers filters', () => {
  let pool: string;
  const subs = new Map<string, string>();

  beforeAll(async () => {
    pool = await newPool(t, { UsernameConfiguration: { CaseSensitive: false } });
    const people: [string, Record<string, string>][] = [
      [
        'Alice',
        {
          email: 'Alice.Smith@Example.com',
          given_name: 'Alice',
          family_name: 'Smith',
          name: 'Alice Smith',
          phone_number: '+15550001111',
          preferred_username: 'ally',
        },
      ],
      [
        'alfred',
        {
          email: 'alfred@example.org',
          given_name: 'Alfred',
          family_name: 'Smithers',
          name: 'Alfred Smithers',
        },
      ],
      [
        'bob',
        { email: 'bob@example.com', given_name: 'bob', family_name: 'Builder', phone_number: '+15550002222' },
      ],
      ['carol', { email: 'carol@other.net', name: 'Carol "CJ" Jones' }],
      ['dave', {}],
    ];
    for (const [name, attributes] of people) {
      const user = await newUser(t, pool, name, {
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      });
      subs.set(name, attribute(user.Attributes, 'sub')!);
    }
    await t.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool,
        Username: 'bob',
        Password: 'Perm-pass-1',
        Permanent: true,
      }),
    );
    await t.client.send(new AdminDisableUserCommand({ UserPoolId: pool, Username: 'carol' }));
  });

  // Cognito does not promise an order within a filtered result: compare as sorted lists.
  const matching = async (Filter: string) => {
    const pages = await allPages({ UserPoolId: pool, Filter, Limit: 60 });
    return usernames(pages).sort();
  };

  it('matches email exactly or by prefix, ignoring case', async () => {
    expect(await matching('email = "alice.smith@example.com"')).toEqual(['Alice']);
    expect(await matching('email = "ALICE.SMITH@EXAMPLE.COM"')).toEqual(['Alice']);
    expect(await matching('email ^= "AL"')).toEqual(['Alice', 'alfred']);
    expect(await matching('email^="bob@"')).toEqual(['bob']);
    expect(await matching('email = "alice"')).toEqual([]);
  });

  it('matches username exactly or by prefix, following the pool’s case sensitivity', async () => {
    expect(await matching('username = "alice"')).toEqual(['Alice']);
    expect(await matching('username ^= "AL"')).toEqual(['Alice', 'alfred']);
    expect(await matching('username = "al"')).toEqual([]);
  });

  it('matches the other searchable attributes exactly (case-sensitive) or by prefix', async () => {
    expect(await matching('given_name = "Alice"')).toEqual(['Alice']);
    expect(await matching('given_name = "alice"')).toEqual([]);
    expect(await matching('given_name ^= "Al"')).toEqual(['Alice', 'alfred']);
    expect(await matching('family_name ^= "Smith"')).toEqual(['Alice', 'alfred']);
    expect(await matching('family_name = "Smith"')).toEqual(['Alice']);
    expect(await matching('name ^= "Al"')).toEqual(['Alice', 'alfred']);
    expect(await matching('name = "Carol \\"CJ\\" Jones"')).toEqual(['carol']);
    expect(await matching('preferred_username = "ally"')).toEqual(['Alice']);
    expect(await matching('phone_number = "+15550002222"')).toEqual(['bob']);
    expect(await matching('phone_number ^= "+1555000"')).toEqual(['Alice', 'bob']);
  });

  it('matches cognito:user_status ignoring case, and status ("Enabled"/"Disabled") exactly', async () => {
    expect(await matching('cognito:user_status = "CONFIRMED"')).toEqual(['bob']);
    expect(await matching('cognito:user_status = "confirmed"')).toEqual(['bob']);
    expect(await matching('cognito:user_status ^= "force"')).toEqual(['Alice', 'alfred', 'carol', 'dave']);
    expect(await matching('status = "Disabled"')).toEqual(['carol']);
    expect(await matching('status = "Enabled"')).toEqual(['Alice', 'alfred', 'bob', 'dave']);
    expect(await matching('status = "enabled"')).toEqual([]);
    expect(await matching('status ^= "Dis"')).toEqual(['carol']);
    expect(await matching('status ^= ""')).toHaveLength(5);
  });

  it('matches sub', async () => {
    const sub = subs.get('dave')!;
    expect(await matching(`sub = "${sub}"`)).toEqual(['dave']);
    expect(await matching(`sub ^= "${sub.slice(0, 8)}"`)).toContain('dave');
  });

  it('returns everyone for an empty filter', async () => {
    expect(await matching('')).toHaveLength(5);
  });

  it('refuses a malformed filter and attributes it cannot search', async () => {
    for (const filter of ['email = alice', 'email', 'email == "a"', 'email = "unterminated', '= "x"']) {
      await expectCognitoError(
        t.client.send(new ListUsersCommand({ UserPoolId: pool, Filter: filter })),
        'InvalidParameterException',
        'Error while parsing filter',
      );
    }
    await expectCognitoError(
      t.client.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'custom:tenant = "acme"' })),
      'InvalidParameterException',
      'Invalid search attribute: custom:tenant',
    );
    await expectCognitoError(
      t.client.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'constructor = "x"' })),
      'InvalidParameterException',
      'Invalid search attribute: constructor',
    );
    await expectCognitoError(
      t.client.send(new ListUsersCommand({ UserPoolId: pool, Filter: 'locale = "en"' })),
      'InvalidParameterException',
      'Invalid search attribute: locale',
    );
  });

  it('returns only the attributes asked for with AttributesToGet', async () => {
    const { Users } = await t.client.send(
      new ListUsersCommand({
        UserPoolId: pool,
        Filter: 'username = "alice"',
        AttributesToGet: ['email', 'given_name'],
      }),
    );
    expect(Users?.[0]?.Attributes).toEqual([
      { Name: 'email', Value: 'Alice.Smith@Example.com' },
      { Name: 'given_name', Value: 'Alice' },
    ]);
    expect(Users?.[0]).toMatchObject({
      Username: 'Alice',
      Enabled: true,
      UserStatus: 'FORCE_CHANGE_PASSWORD',
    });
  });

  it('pages a prefix filter past 60 matches: all present, none twice', async () => {
    for (const limit of [60, 25]) {
      const pages = await allPages({ UserPoolId: bigPool, Limit: limit, Filter: 'email ^= "MEMBER0"' });
      const seen = usernames(pages);
      const expected = [...bigPoolUsers]
        .filter(([, email]) => email.startsWith('member0'))
        .map(([name]) => name);
      expect(expected).toHaveLength(100);
      expect(seen).toHaveLength(100);
      expect(new Set(seen)).toEqual(new Set(expected));
      // In email order.
      const emails = pages.flat().map((user) => attribute(user.Attributes, 'email')!);
      expect(emails).toEqual([...emails].sort());
    }
  });
});

describe('ListUsers query plans', () => {
  // The filters the console uses must stay index range scans: no full scan, no sort of all matches.
  const filters = [
    undefined,
    'email = "a@example.com"',
    'email ^= "a"',
    'username = "a"',
    'username ^= "a"',
    'sub = "x"',
    'sub ^= "x"',
    'cognito:user_status = "CONFIRMED"',
    'cognito:user_status ^= "FORCE"',
    'status = "Disabled"',
    'phone_number ^= "+1"',
    'name ^= "A"',
    'given_name = "A"',
    'family_name ^= "A"',
    'preferred_username ^= "a"',
  ];
  for (const filter of filters) {
    it(`uses an index for ${filter ?? 'no filter'}, on the first page and the next`, async () => {
      const pool = getPool(t.service.context, bigPool);
      const first = userQuery(pool, parseFilter(filter), 60, undefined)!;
      const rows = t.service.context.db.prepare(first.sql).all(...first.params) as Parameters<
        typeof first.keyOf
      >[0][];
      // Most filters match nobody in this pool: the next page then starts after any user's key, which
      // is as good a token as a matching one for the plan (the plan depends on the key's shape only).
      const after =
        rows[0] ??
        (t.service.context.db.prepare('SELECT * FROM users WHERE pool_id = ? LIMIT 1').get(pool.id) as
          | (typeof rows)[number]
          | undefined);
      if (!after) throw new Error('the pool has no users');
      const token = Buffer.from(JSON.stringify(first.keyOf(after))).toString('base64url');
      const queries = [first, userQuery(pool, parseFilter(filter), 60, token)!];
      for (const query of queries) {
        const plan = (
          t.service.context.db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as {
            detail: string;
          }[]
        )
          .map((step) => step.detail)
          .join('; ');
        expect(plan).toMatch(/^SEARCH users USING (COVERING )?INDEX/);
        expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
      }
    });
  }

  it('bounds prefixes exactly', () => {
    expect(prefixUpperBound('abc')).toBe('abd');
    expect(prefixUpperBound('')).toBeUndefined();
    expect(prefixUpperBound('a\u{10FFFF}')).toBe('b');
    expect(prefixUpperBound('\u{D7FF}')).toBe('\u{E000}');
  });
});
