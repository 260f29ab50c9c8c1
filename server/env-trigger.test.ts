import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadTriggerEnv } from './env';

const valid = {
  STUDIO_TABLE: 'studio-access-abc',
  PUBLIC_URL: 'https://studio.example.com/',
  MAIL_FROM: 'Studio <no-reply@example.com>',
};

function problem(source: Record<string, string | undefined>): string {
  try {
    loadTriggerEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadTriggerEnv', () => {
  it('reads the table, the https origin and the sender', () => {
    expect(loadTriggerEnv(valid)).toEqual({
      studioTable: 'studio-access-abc',
      publicUrl: 'https://studio.example.com',
      mailFrom: 'Studio <no-reply@example.com>',
      productName: 'Studio Access',
    });
  });

  it('names each missing variable', () => {
    expect(problem({ ...valid, STUDIO_TABLE: undefined })).toMatch(/^STUDIO_TABLE: required/);
    expect(problem({ ...valid, PUBLIC_URL: '' })).toMatch(/^PUBLIC_URL: required/);
    expect(problem({ ...valid, MAIL_FROM: undefined })).toMatch(/^MAIL_FROM: required/);
  });

  it('names each wrong value', () => {
    expect(problem({ ...valid, STUDIO_TABLE: 'ab' })).toMatch(
      /^STUDIO_TABLE: expected a DynamoDB table name/,
    );
    expect(problem({ ...valid, STUDIO_TABLE: 'a b c' })).toMatch(/^STUDIO_TABLE: expected/);
    expect(problem({ ...valid, PUBLIC_URL: 'http://studio.example.com' })).toBe(
      'PUBLIC_URL: must be https in AWS mode, got "http://studio.example.com"',
    );
    expect(problem({ ...valid, PUBLIC_URL: 'https://studio.example.com/path' })).toMatch(
      /^PUBLIC_URL: expected/,
    );
    expect(problem({ ...valid, MAIL_FROM: 'nobody' })).toMatch(/^MAIL_FROM: expected an address/);
  });

  it('touches no file system, whatever DATA_DIR says', () => {
    const dataDir = path.join(os.tmpdir(), `studio-trigger-env-${process.pid}-${Date.now()}`);
    loadTriggerEnv({ ...valid, DATA_DIR: dataDir });
    expect(fs.existsSync(dataDir)).toBe(false);
  });
});
