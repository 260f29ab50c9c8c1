import { describe, expect, it } from 'vitest';
import {
  editMembersSchema,
  fixAccessLevelSchema,
  inviteSchema,
  MAX_INVITES,
  memberQuerySchema,
  parseEmailList,
  parseMemberQuery,
} from './member-schemas';

describe('parseEmailList', () => {
  it('splits on commas, semicolons, spaces, tabs and new lines; trims, lower-cases, de-duplicates', () => {
    expect(
      parseEmailList(
        ' Ana@Example.com, bo@example.com;cy@example.com\n\tdee@example.com  ana@example.com\r\n',
      ),
    ).toEqual({
      emails: ['ana@example.com', 'bo@example.com', 'cy@example.com', 'dee@example.com'],
      invalid: [],
    });
  });

  it('keeps the address of `Name <address>` mailboxes, quoted names with commas included', () => {
    expect(
      parseEmailList(
        'Ana Lopez <ana@example.com>, "Lopez, Bo" <BO@example.com>; cy@example.com Dee <dee@example.com>',
      ),
    ).toEqual({
      emails: ['ana@example.com', 'bo@example.com', 'cy@example.com', 'dee@example.com'],
      invalid: [],
    });
  });

  it('reports what is not an address as typed, once', () => {
    expect(parseEmailList('ana@example.com, not-an-email, bo@, @x.com, not-an-email, a b@c')).toEqual({
      emails: ['ana@example.com'],
      invalid: ['not-an-email', 'bo@', '@x.com', 'a', 'b@c'],
    });
  });

  it('takes the address column of pasted spreadsheet rows and skips the name cells', () => {
    const pasted = 'Ana Lopez\tana@example.com\tEngineering\nBo Chen\tbo@example.com\tDesign\n';
    expect(parseEmailList(pasted)).toEqual({ emails: ['ana@example.com', 'bo@example.com'], invalid: [] });
    // A single column pasted from a spreadsheet is one address per line.
    expect(parseEmailList('ana@example.com\nbo@example.com')).toEqual({
      emails: ['ana@example.com', 'bo@example.com'],
      invalid: [],
    });
  });

  it('returns nothing for blank input', () => {
    expect(parseEmailList(' \n ,; \t')).toEqual({ emails: [], invalid: [] });
  });
});

describe('inviteSchema', () => {
  it('parses the raw list and the level', () => {
    const parsed = inviteSchema.parse({
      emails: 'ana@example.com x',
      accessLevel: 'manage',
      extra: 'ignored',
    });
    expect(parsed).toEqual({
      emails: { emails: ['ana@example.com'], invalid: ['x'] },
      accessLevel: 'manage',
    });
  });

  it(`refuses an empty list, more than ${MAX_INVITES} addresses, and an unknown level`, () => {
    expect(inviteSchema.safeParse({ emails: ' , ', accessLevel: 'full' }).success).toBe(false);
    const many = Array.from({ length: MAX_INVITES + 1 }, (_, i) => `user${i}@example.com`).join('\n');
    const tooMany = inviteSchema.safeParse({ emails: many, accessLevel: 'full' });
    expect(tooMany.success).toBe(false);
    expect(tooMany.error?.issues[0]?.message).toMatch(/at most 500/);
    const exactly = Array.from({ length: MAX_INVITES }, (_, i) => `user${i}@example.com`).join('\n');
    expect(inviteSchema.safeParse({ emails: exactly, accessLevel: 'full' }).success).toBe(true);
    const level = inviteSchema.safeParse({ emails: 'ana@example.com', accessLevel: 'admin' });
    expect(level.error?.issues[0]?.message).toBe('Choose an access level.');
  });
});

describe('member selection schemas', () => {
  it('needs at least one username and de-duplicates them', () => {
    expect(editMembersSchema.parse({ usernames: ['a', ' a ', 'b'], accessLevel: 'full' })).toEqual({
      usernames: ['a', 'b'],
      accessLevel: 'full',
    });
    expect(editMembersSchema.safeParse({ usernames: [], accessLevel: 'full' }).success).toBe(false);
    expect(fixAccessLevelSchema.safeParse({ username: '', accessLevel: 'full' }).success).toBe(false);
  });
});

describe('memberQuerySchema', () => {
  it('reads the filters, page token and size', () => {
    expect(
      memberQuerySchema.parse({
        q: ' AnA ',
        level: 'none',
        status: 'invite-failed',
        page: 'abc_-1',
        size: '50',
      }),
    ).toEqual({ q: 'ana', level: 'none', status: 'invite-failed', page: 'abc_-1', size: 50 });
  });

  it('drops bad values instead of failing, and defaults the size to 25', () => {
    expect(
      memberQuerySchema.parse({ q: '   ', level: 'owner', status: 'gone', page: 'not a token!', size: '30' }),
    ).toEqual({ size: 25 });
    expect(memberQuerySchema.parse({ level: ['manage', 'full'], size: ['10'], other: 'x' })).toEqual({
      level: 'manage',
      size: 10,
    });
    expect(parseMemberQuery(new URLSearchParams('status=expired&size=abc'))).toEqual({
      status: 'expired',
      size: 25,
    });
  });
});
