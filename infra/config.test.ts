import { describe, expect, it } from 'vitest';
import { StackConfigError, stackConfigFrom } from './lib/config';

const base = { APP_ID: 'd1a2b3c4d5', PUBLIC_URL: 'https://studio.example.com' };

function problem(source: Record<string, string | undefined>): string {
  try {
    stackConfigFrom(source);
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a StackConfigError');
}

describe('stackConfigFrom', () => {
  it('needs only APP_ID and PUBLIC_URL; derives a stable SHORT_CODE and the table name', () => {
    const config = stackConfigFrom(base);
    expect(config).toMatchObject({
      appId: 'd1a2b3c4d5',
      tableName: 'studio_access_d1a2b3c4d5',
      publicUrl: 'https://studio.example.com',
      sessionTtlMs: 5.5 * 3_600_000,
      sesIdentity: undefined,
      bootstrapAdminEmail: undefined,
    });
    expect(config.shortCode).toMatch(/^[a-z0-9]{8}$/);
    expect(stackConfigFrom(base).shortCode).toBe(config.shortCode);
    expect(stackConfigFrom({ ...base, APP_ID: 'other1234' }).shortCode).not.toBe(config.shortCode);
  });

  it('takes every variable', () => {
    expect(
      stackConfigFrom({
        ...base,
        SHORT_CODE: 'abcd1234',
        STUDIO_TABLE: 'my-table',
        SESSION_TTL: '90m',
        SES_IDENTITY: 'Example.com',
        MAIL_FROM: 'Studio <no-reply@example.com>',
        BOOTSTRAP_ADMIN_EMAIL: 'Ada@Example.com',
      }),
    ).toEqual({
      appId: 'd1a2b3c4d5',
      shortCode: 'abcd1234',
      tableName: 'my-table',
      publicUrl: 'https://studio.example.com',
      sessionTtlMs: 90 * 60_000,
      sesIdentity: 'example.com',
      mailFrom: 'Studio <no-reply@example.com>',
      bootstrapAdminEmail: 'ada@example.com',
    });
  });

  it('names the variable and what is wrong, one line', () => {
    expect(problem({ PUBLIC_URL: base.PUBLIC_URL })).toMatch(/^APP_ID: required/);
    expect(problem({ ...base, APP_ID: 'Bad_Id' })).toMatch(/^APP_ID: expected 4-32 lowercase/);
    expect(problem({ APP_ID: base.APP_ID })).toMatch(/^PUBLIC_URL: required/);
    expect(problem({ ...base, PUBLIC_URL: 'http://studio.example.com' })).toMatch(
      /^PUBLIC_URL: expected an https origin/,
    );
    expect(problem({ ...base, PUBLIC_URL: 'https://studio.example.com/app' })).toMatch(
      /^PUBLIC_URL: expected/,
    );
    expect(problem({ ...base, SHORT_CODE: 'short' })).toMatch(/^SHORT_CODE: expected 8/);
    expect(problem({ ...base, STUDIO_TABLE: 'ab' })).toMatch(/^STUDIO_TABLE: expected a DynamoDB table name/);
    expect(problem({ ...base, SESSION_TTL: '1m' })).toMatch(/^SESSION_TTL: expected a duration/);
    expect(problem({ ...base, SES_IDENTITY: 'not an identity' })).toMatch(/^SES_IDENTITY: expected/);
    expect(problem({ ...base, SES_IDENTITY: 'example.com' })).toMatch(
      /^MAIL_FROM: required with SES_IDENTITY/,
    );
    expect(problem({ ...base, SES_IDENTITY: 'example.com', MAIL_FROM: 'Studio <no-reply@other.org>' })).toBe(
      'MAIL_FROM: "no-reply@other.org" is not within SES_IDENTITY "example.com"',
    );
    expect(problem({ ...base, SES_IDENTITY: 'ops@example.com', MAIL_FROM: 'no-reply@example.com' })).toMatch(
      /^MAIL_FROM: "no-reply@example.com" is not within SES_IDENTITY "ops@example.com"/,
    );
    expect(problem({ ...base, MAIL_FROM: 'nobody' })).toMatch(/^MAIL_FROM: expected an address/);
    expect(problem({ ...base, BOOTSTRAP_ADMIN_EMAIL: 'nobody' })).toMatch(/^BOOTSTRAP_ADMIN_EMAIL: expected/);
  });
});
