import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv, parseDuration } from './env';

const root = path.resolve(__dirname, '..');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'env-test-'));
}

function configErrorOf(vars: Record<string, string>): ConfigError {
  try {
    loadEnv({ DATA_DIR: tempDir(), ...vars });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnv', () => {
  it('applies the documented defaults', () => {
    const dataDir = tempDir();
    const env = loadEnv({ DATA_DIR: dataDir });
    expect(env).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      dataDir,
      identityBackend: 'local',
      cognitoLocalPort: 9229,
      cognitoEndpoint: 'http://127.0.0.1:9229',
      awsRegion: 'us-east-1',
      awsAccountId: '000000000000',
      userPoolId: undefined,
      identityPoolId: undefined,
      smtpUrl: undefined,
      mailFrom: 'Studio <no-reply@localhost>',
      bootstrapAdminEmail: 'admin@example.com',
      sessionTtlMs: (5 * 60 + 30) * 60_000,
      trustedProxies: 0,
      productName: 'Studio Access',
      isProduction: false,
      cognitoCallStats: false,
    });
    expect(env.appId).toMatch(/^[a-z0-9]{14}$/);
    expect(env.shortCode).toMatch(/^[a-z0-9]{8}$/);
    expect(Buffer.from(env.sessionSecret, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  it('derives PUBLIC_URL from PORT and keeps only the origin of an explicit one', () => {
    expect(loadEnv({ DATA_DIR: tempDir(), PORT: '4100' }).publicUrl).toBe('http://localhost:4100');
    expect(
      loadEnv({ DATA_DIR: tempDir(), PUBLIC_URL: 'https://Studio.Example.com/', SMTP_URL: 'smtp://mail:25' })
        .publicUrl,
    ).toBe('https://studio.example.com');
  });

  it('listens on loopback for a loopback PUBLIC_URL, everywhere for another, and where HOST says', () => {
    expect(loadEnv({ DATA_DIR: tempDir() }).host).toBe('127.0.0.1');
    expect(loadEnv({ DATA_DIR: tempDir(), PUBLIC_URL: 'http://127.0.0.2:3000' }).host).toBe('127.0.0.1');
    expect(loadEnv({ DATA_DIR: tempDir(), PUBLIC_URL: 'http://[::1]:3000' }).host).toBe('::1');
    expect(
      loadEnv({ DATA_DIR: tempDir(), PUBLIC_URL: 'http://192.168.1.20:3000', SMTP_URL: 'smtp://mail:25' })
        .host,
    ).toBeUndefined();
    expect(loadEnv({ DATA_DIR: tempDir(), HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadEnv({ DATA_DIR: tempDir(), HOST: '[::]' }).host).toBe('::');
    expect(configErrorOf({ HOST: 'not a host!' }).message).toBe(
      'HOST: expected an address to listen on such as 127.0.0.1, 0.0.0.0 or ::, got "not a host!"',
    );
  });

  it("answers PUBLIC_URL's Host, and the loopback aliases of PORT only in local mode", () => {
    expect(loadEnv({ DATA_DIR: tempDir(), PORT: '4100' }).allowedHosts).toEqual([
      'localhost:4100',
      '127.0.0.1:4100',
      '[::1]:4100',
    ]);
    expect(
      loadEnv({
        DATA_DIR: tempDir(),
        ...AWS_VARS,
        PUBLIC_URL: 'https://studio.example.com',
      }).allowedHosts,
    ).toEqual(['studio.example.com']);
  });

  it('refuses a PUBLIC_URL other machines can reach while sign-in mail would go to the outbox', () => {
    const error = configErrorOf({ PUBLIC_URL: 'http://192.168.1.20:3000' });
    expect(error.variable).toBe('SMTP_URL');
    expect(error.message).toMatch(/^SMTP_URL: required when PUBLIC_URL \(http:\/\/192\.168\.1\.20:3000\)/);
    expect(error.message).not.toContain('\n');
  });

  it('resolves a relative DATA_DIR to an absolute path and creates it', () => {
    const parent = tempDir();
    const cwd = process.cwd();
    process.chdir(parent);
    try {
      const env = loadEnv({ DATA_DIR: 'nested/data' });
      expect(env.dataDir).toBe(path.join(fs.realpathSync(parent), 'nested/data'));
      expect(fs.statSync(env.dataDir).isDirectory()).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  it('treats empty variables as unset', () => {
    const env = loadEnv({ DATA_DIR: tempDir(), PORT: '', SMTP_URL: ' ', SESSION_TTL: '' });
    expect(env.port).toBe(3000);
    expect(env.smtpUrl).toBeUndefined();
  });

  it('reads the aws settings', () => {
    const secret = Buffer.alloc(32, 7).toString('base64');
    const env = loadEnv({
      DATA_DIR: tempDir(),
      ...AWS_VARS,
      AWS_ACCOUNT_ID: '123456789012',
      SESSION_SECRET: secret,
    });
    expect(env).toMatchObject({
      identityBackend: 'aws',
      studioTable: 'studio-access-test',
      mailFrom: 'Studio <studio@example.com>',
      publicUrl: 'https://studio.example.com',
      allowedHosts: ['studio.example.com'],
      cognitoEndpoint: undefined,
      awsRegion: 'eu-west-1',
      awsAccountId: '123456789012',
      userPoolId: 'eu-west-1_AbC123xyz',
      bootstrapAdminEmail: undefined,
      sessionSecret: Buffer.alloc(32, 7).toString('base64url'),
    });
  });

  it('in aws mode takes an http PUBLIC_URL on this machine only (npm run aws:local)', () => {
    const env = loadEnv({
      DATA_DIR: tempDir(),
      ...AWS_VARS,
      PUBLIC_URL: 'http://localhost:4100',
      PORT: '4100',
    });
    expect(env).toMatchObject({ identityBackend: 'aws', publicUrl: 'http://localhost:4100' });
    expect(() => loadEnv({ DATA_DIR: tempDir(), ...AWS_VARS, PUBLIC_URL: 'http://10.0.0.5:4100' })).toThrow(
      'PUBLIC_URL: must be https when IDENTITY_BACKEND=aws, got "http://10.0.0.5:4100"',
    );
  });

  it('in aws mode finds the pool by APP_ID when USER_POOL_ID is not set', () => {
    const env = loadEnv({
      DATA_DIR: tempDir(),
      ...withoutVariable(AWS_VARS, 'USER_POOL_ID'),
      APP_ID: 'd1a2b3c4',
    });
    expect(env).toMatchObject({ identityBackend: 'aws', userPoolId: undefined, appId: 'd1a2b3c4' });
  });

  it("takes IDENTITY_POOL_ID in either mode (the stack's IdentityPoolId output)", () => {
    const id = 'eu-west-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';
    expect(loadEnv({ DATA_DIR: tempDir(), ...AWS_VARS, IDENTITY_POOL_ID: id }).identityPoolId).toBe(id);
    expect(loadEnv({ DATA_DIR: tempDir(), IDENTITY_POOL_ID: 'us-east-1:0a1b' }).identityPoolId).toBe(
      'us-east-1:0a1b',
    );
  });

  it('lower-cases the bootstrap admin email and accepts SMTP and MAIL_FROM forms', () => {
    const env = loadEnv({
      DATA_DIR: tempDir(),
      BOOTSTRAP_ADMIN_EMAIL: ' Ops@Example.COM ',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      MAIL_FROM: 'Studio Access <studio@example.com>',
      NODE_ENV: 'production',
    });
    expect(env.bootstrapAdminEmail).toBe('ops@example.com');
    expect(env.smtpUrl).toBe('smtps://user:pass@mail.example.com:465');
    expect(env.mailFrom).toBe('Studio Access <studio@example.com>');
    expect(env.isProduction).toBe(true);
  });
});

describe('parseDuration', () => {
  it.each([
    ['5h30m', 19_800_000],
    ['90m', 5_400_000],
    ['3600s', 3_600_000],
    ['1d', 86_400_000],
    ['1h 15m', 4_500_000],
  ])('%s → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'abc', '5', '30m5h', '-5m', '1.5h'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

/** A complete AWS-mode configuration; each case below removes one variable from it. */
const AWS_VARS: Record<string, string> = {
  IDENTITY_BACKEND: 'aws',
  AWS_REGION: 'eu-west-1',
  STUDIO_TABLE: 'studio-access-test',
  MAIL_FROM: 'Studio <studio@example.com>',
  SESSION_SECRET: Buffer.alloc(32, 1).toString('base64'),
  PUBLIC_URL: 'https://studio.example.com',
  USER_POOL_ID: 'eu-west-1_AbC123xyz',
};

/** Each variable AWS mode requires, and the line the console stops with when it is missing. */
const AWS_REQUIRED: Array<[string, string]> = [
  ['AWS_REGION', 'AWS_REGION: required when IDENTITY_BACKEND=aws (e.g. us-east-1)'],
  [
    'STUDIO_TABLE',
    'STUDIO_TABLE: required when IDENTITY_BACKEND=aws: the DynamoDB table the stack created (its output StudioTable)',
  ],
  [
    'MAIL_FROM',
    'MAIL_FROM: required when IDENTITY_BACKEND=aws: a sender SES may send from (e.g. "Studio <studio@example.com>")',
  ],
  [
    'SESSION_SECRET',
    'SESSION_SECRET: required when IDENTITY_BACKEND=aws, the same on every instance (e.g. `openssl rand -base64 32`)',
  ],
  [
    'PUBLIC_URL',
    "PUBLIC_URL: required when IDENTITY_BACKEND=aws: the console's https origin, e.g. https://studio.example.com",
  ],
  [
    'USER_POOL_ID',
    "USER_POOL_ID: required when IDENTITY_BACKEND=aws: the user pool's id (e.g. us-east-1_AbC123xyz), or set APP_ID to find the pool amplify_backend_manager_<APP_ID>",
  ],
];

function withoutVariable(vars: Record<string, string>, variable: string): Record<string, string> {
  const rest = { ...vars };
  delete rest[variable];
  return rest;
}

// Every message is one line that names the variable and says what is wrong.
const badConfigurations: Array<[string, Record<string, string>, string]> = [
  ['PORT', { PORT: 'abc' }, 'PORT: expected a port number 1-65535, got "abc"'],
  ['PORT out of range', { PORT: '70000' }, 'PORT: expected a port number 1-65535, got "70000"'],
  [
    'PUBLIC_URL',
    { PUBLIC_URL: 'ftp://example.com' },
    'PUBLIC_URL: expected an http(s) origin such as https://studio.example.com, got "ftp://example.com"',
  ],
  [
    'PUBLIC_URL with a path',
    { PUBLIC_URL: 'https://example.com/studio' },
    'PUBLIC_URL: expected an http(s) origin such as https://studio.example.com, got "https://example.com/studio"',
  ],
  [
    'IDENTITY_BACKEND',
    { IDENTITY_BACKEND: 'cloud' },
    'IDENTITY_BACKEND: expected "local" or "aws", got "cloud"',
  ],
  [
    'SESSION_TTL',
    { SESSION_TTL: 'forever' },
    'SESSION_TTL: expected a duration between 5m and 30d such as 5h30m, 90m or 3600s, got "forever"',
  ],
  [
    'SESSION_TTL too short',
    { SESSION_TTL: '30s' },
    'SESSION_TTL: expected a duration between 5m and 30d such as 5h30m, 90m or 3600s, got "30s"',
  ],
  [
    'COGNITO_LOCAL_PORT',
    { COGNITO_LOCAL_PORT: '0' },
    'COGNITO_LOCAL_PORT: expected a port number 1-65535, got "0"',
  ],
  [
    'COGNITO_LOCAL_PORT equal to PORT',
    { PORT: '4000', COGNITO_LOCAL_PORT: '4000' },
    'COGNITO_LOCAL_PORT: must differ from PORT (both are 4000)',
  ],
  ['COGNITO_CALL_STATS', { COGNITO_CALL_STATS: 'yes' }, 'COGNITO_CALL_STATS: expected 1 or 0, got "yes"'],
  [
    'MAIL_FROM',
    { MAIL_FROM: 'Studio <nobody>' },
    'MAIL_FROM: expected an address such as "Studio <no-reply@example.com>", got "Studio <nobody>"',
  ],
  [
    'SMTP_URL',
    { SMTP_URL: 'http://user:secret@mail.example.com' },
    'SMTP_URL: expected smtp://host:port or smtps://user:password@host:port, got "http://***@mail.example.com"',
  ],
  [
    'BOOTSTRAP_ADMIN_EMAIL',
    { BOOTSTRAP_ADMIN_EMAIL: 'admin' },
    'BOOTSTRAP_ADMIN_EMAIL: expected an email address, got "admin"',
  ],
  [
    'SESSION_SECRET',
    { SESSION_SECRET: 'short-secret' },
    'SESSION_SECRET: expected at least 32 random bytes in base64 (e.g. `openssl rand -base64 32`), got 12 characters',
  ],
  ...AWS_REQUIRED.map(([variable, message]): [string, Record<string, string>, string] => [
    `aws without ${variable}`,
    withoutVariable(AWS_VARS, variable),
    message,
  ]),
  [
    'aws with an http PUBLIC_URL',
    { ...AWS_VARS, PUBLIC_URL: 'http://studio.example.com' },
    'PUBLIC_URL: must be https when IDENTITY_BACKEND=aws, got "http://studio.example.com"',
  ],
  [
    'aws with a bad STUDIO_TABLE',
    { ...AWS_VARS, STUDIO_TABLE: 'ab' },
    'STUDIO_TABLE: expected a DynamoDB table name (3-255 letters, digits, _ . -), got "ab"',
  ],
  [
    'TRUSTED_PROXIES',
    { TRUSTED_PROXIES: 'yes' },
    'TRUSTED_PROXIES: expected how many reverse proxies append to X-Forwarded-For, 0-5, got "yes"',
  ],
  ['APP_ID', { APP_ID: 'My App' }, 'APP_ID: expected 4-32 lowercase letters or digits, got "My App"'],
  [
    'USER_POOL_ID',
    { USER_POOL_ID: 'pool' },
    'USER_POOL_ID: expected a user pool id such as us-east-1_AbC123xyz, got "pool"',
  ],
  [
    'IDENTITY_POOL_ID',
    { IDENTITY_POOL_ID: 'us-east-1_AbC123xyz' },
    'IDENTITY_POOL_ID: expected an identity pool id such as us-east-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d, got "us-east-1_AbC123xyz"',
  ],
];

describe('bad configuration', () => {
  it.each(badConfigurations)('%s gives one clear line', (_name, vars, message) => {
    const error = configErrorOf(vars);
    expect(error.message).toBe(message);
    expect(error.variable).toBe(message.slice(0, message.indexOf(':')));
    expect(error.message).not.toContain('\n');
  });

  it('in aws mode names every missing variable at once, one line each', () => {
    const error = configErrorOf({ IDENTITY_BACKEND: 'aws' });
    expect(error.variable).toBe('AWS_REGION');
    expect(error.lines).toEqual(AWS_REQUIRED.map(([, message]) => message));
    expect(error.message).toBe(error.lines.join('\n'));
  });

  it('names every bad variable, one line each, in the order of the table', () => {
    expect(configErrorOf({ PORT: 'abc', MAIL_FROM: 'nobody' }).lines).toEqual([
      'PORT: expected a port number 1-65535, got "abc"',
      'MAIL_FROM: expected an address such as "Studio <no-reply@example.com>", got "nobody"',
    ]);
  });

  it('never echoes a wrong SESSION_SECRET', () => {
    expect(configErrorOf({ SESSION_SECRET: 'hunter2-is-my-password' }).message).not.toContain('hunter2');
  });

  it('names DATA_DIR when it cannot be created', () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, '');
    const error = configErrorOf({ DATA_DIR: path.join(file, 'data') });
    expect(error.message).toBe(`DATA_DIR: cannot create or write "${path.join(file, 'data')}" (ENOTDIR)`);
  });

  it('names DATA_DIR when a kept value is damaged', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'app-id'), 'NOT VALID\n');
    expect(() => loadEnv({ DATA_DIR: dataDir })).toThrow(
      `DATA_DIR: "${path.join(dataDir, 'app-id')}" is damaged; delete it and a new value will be generated`,
    );
  });
});

describe('generated values', () => {
  it('are kept in DATA_DIR, readable only by the owner, and reused by later calls', () => {
    const dataDir = tempDir();
    const first = loadEnv({ DATA_DIR: dataDir });
    const second = loadEnv({ DATA_DIR: dataDir, PORT: '4000' });
    expect([second.appId, second.shortCode, second.sessionSecret]).toEqual([
      first.appId,
      first.shortCode,
      first.sessionSecret,
    ]);
    for (const file of ['app-id', 'short-code', 'session-secret']) {
      expect(fs.statSync(path.join(dataDir, file)).mode & 0o777).toBe(0o600);
    }
    expect(fs.readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('give way to explicit variables without touching the kept ones', () => {
    const dataDir = tempDir();
    const generated = loadEnv({ DATA_DIR: dataDir });
    const explicit = loadEnv({ DATA_DIR: dataDir, APP_ID: 'd1a2b3c4d5e6f7', SHORT_CODE: 'abcd1234' });
    expect(explicit.appId).toBe('d1a2b3c4d5e6f7');
    expect(explicit.shortCode).toBe('abcd1234');
    expect(loadEnv({ DATA_DIR: dataDir }).appId).toBe(generated.appId);
  });

  it('are the same for processes that start together on a fresh DATA_DIR', async () => {
    const dataDir = tempDir();
    const script = path.join(tempDir(), 'print-env.ts');
    fs.writeFileSync(
      script,
      `import { loadEnv } from ${JSON.stringify(path.join(root, 'server/env.ts'))};\n` +
        'const env = loadEnv();\n' +
        'console.log(JSON.stringify([env.appId, env.shortCode, env.sessionSecret]));\n',
    );
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [path.join(root, 'node_modules/tsx/dist/cli.mjs'), '--tsconfig', 'tsconfig.scripts.json', script],
          { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: 'test', DATA_DIR: dataDir } },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
        });
        child.stderr.on('data', (chunk) => {
          err += chunk;
        });
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))));
      });
    const outputs = await Promise.all([run(), run(), run()]);
    const inProcess = loadEnv({ DATA_DIR: dataDir });
    const expected = JSON.stringify([inProcess.appId, inProcess.shortCode, inProcess.sessionSecret]);
    expect(outputs).toEqual([expected, expected, expected]);
  }, 60_000);
});
