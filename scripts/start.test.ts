import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Exit, runScript } from './cli.fixture';
import { freePort } from './free-port';

/** Runs `npm start`'s command (tsx scripts/start.ts) with only the given variables set. */
function runStart(vars: Record<string, string>): Promise<Exit> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-test-'));
  return runScript('scripts/start.ts', [], { NODE_ENV: 'production', DATA_DIR: dataDir, ...vars });
}

describe('npm start with bad configuration', () => {
  it.concurrent.each([
    [{ PORT: 'abc' }, 'PORT: expected a port number 1-65535, got "abc"'],
    [
      { PUBLIC_URL: 'localhost:3000' },
      'PUBLIC_URL: expected an http(s) origin such as https://studio.example.com, got "localhost:3000"',
    ],
    [{ IDENTITY_BACKEND: 'azure' }, 'IDENTITY_BACKEND: expected "local" or "aws", got "azure"'],
    [
      { SESSION_TTL: '5 hours' },
      'SESSION_TTL: expected a duration between 5m and 30d such as 5h30m, 90m or 3600s, got "5 hours"',
    ],
    [{ COGNITO_LOCAL_PORT: '99999' }, 'COGNITO_LOCAL_PORT: expected a port number 1-65535, got "99999"'],
    [
      { MAIL_FROM: 'not an address' },
      'MAIL_FROM: expected an address such as "Studio <no-reply@example.com>", got "not an address"',
    ],
    [
      { SMTP_URL: 'mail.example.com' },
      'SMTP_URL: expected smtp://host:port or smtps://user:password@host:port, got "mail.example.com"',
    ],
    [{ DATA_DIR: '/dev/null/data' }, 'DATA_DIR: cannot create or write "/dev/null/data" (ENOTDIR)'],
    [
      { HOST: 'no such host!' },
      'HOST: expected an address to listen on such as 127.0.0.1, 0.0.0.0 or ::, got "no such host!"',
    ],
    [
      { PUBLIC_URL: 'http://192.168.1.20:3000' },
      'SMTP_URL: required when PUBLIC_URL (http://192.168.1.20:3000) is reachable from other machines: without it sign-in mail goes to the outbox, which only this machine may read, so members elsewhere could never sign in',
    ],
  ])('%o stops with one line', async (vars, message) => {
    const result = await runStart(vars);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe('');
  });

  it('names COGNITO_LOCAL_PORT when the port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const result = await runStart({ PORT: String(await freePort()), COGNITO_LOCAL_PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `COGNITO_LOCAL_PORT: port ${port} on 127.0.0.1 is already in use (another Studio Access?); set COGNITO_LOCAL_PORT to a free port\n`,
      );
    } finally {
      blocker.close();
    }
  });
});

/** A complete AWS-mode configuration; each case removes or spoils one value of it. */
const AWS_VARS: Record<string, string> = {
  IDENTITY_BACKEND: 'aws',
  AWS_REGION: 'eu-west-1',
  STUDIO_TABLE: 'studio-access-test',
  MAIL_FROM: 'Studio <studio@example.com>',
  SESSION_SECRET: Buffer.alloc(32, 3).toString('base64'),
  PUBLIC_URL: 'https://studio.example.com',
  USER_POOL_ID: 'eu-west-1_AbC123xyz',
};

function without(variable: string): Record<string, string> {
  const rest = { ...AWS_VARS };
  delete rest[variable];
  return rest;
}

describe('npm start in AWS mode', () => {
  it.concurrent.each([
    [without('AWS_REGION'), 'AWS_REGION: required when IDENTITY_BACKEND=aws (e.g. us-east-1)'],
    [
      without('STUDIO_TABLE'),
      'STUDIO_TABLE: required when IDENTITY_BACKEND=aws: the DynamoDB table the stack created (its output StudioTable)',
    ],
    [
      without('MAIL_FROM'),
      'MAIL_FROM: required when IDENTITY_BACKEND=aws: a sender SES may send from (e.g. "Studio <studio@example.com>")',
    ],
    [
      without('SESSION_SECRET'),
      'SESSION_SECRET: required when IDENTITY_BACKEND=aws, the same on every instance (e.g. `openssl rand -base64 32`)',
    ],
    [
      without('PUBLIC_URL'),
      "PUBLIC_URL: required when IDENTITY_BACKEND=aws: the console's https origin, e.g. https://studio.example.com",
    ],
    [
      { ...AWS_VARS, PUBLIC_URL: 'http://studio.example.com' },
      'PUBLIC_URL: must be https when IDENTITY_BACKEND=aws, got "http://studio.example.com"',
    ],
    [
      without('USER_POOL_ID'),
      "USER_POOL_ID: required when IDENTITY_BACKEND=aws: the user pool's id (e.g. us-east-1_AbC123xyz), or set APP_ID to find the pool amplify_backend_manager_<APP_ID>",
    ],
  ])('refuses to start without each required variable: %o', async (vars, message) => {
    const result = await runStart(vars);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe('');
  });

  it('names every missing variable at once, one line each', async () => {
    const result = await runStart({ IDENTITY_BACKEND: 'aws' });
    expect(result.code).toBe(1);
    expect(
      result.stderr
        .trimEnd()
        .split('\n')
        .map((line) => line.slice(0, line.indexOf(':'))),
    ).toEqual(['AWS_REGION', 'STUDIO_TABLE', 'MAIL_FROM', 'SESSION_SECRET', 'PUBLIC_URL', 'USER_POOL_ID']);
    expect(result.stdout).toBe('');
  });
});
