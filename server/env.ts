import 'server-only';
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { PRODUCT_NAME } from '@/lib/product';
import { derivedShortCode } from '@/server/cognito/short-code';
import { ensurePrivateDir, ensurePrivateFile, writePrivateFile } from '@/server/storage/file-modes';

// The one reader of process.env (DESIGN.md §5). Everything else receives an `Env`.

export type IdentityBackend = 'local' | 'aws';

export interface Env {
  port: number;
  /**
   * The address the console listens on: loopback when PUBLIC_URL is a loopback address, otherwise
   * every interface; HOST overrides both. undefined = every interface.
   */
  host: string | undefined;
  /**
   * `Host` header values the console answers (lower case, with port when it is not the scheme's
   * default): PUBLIC_URL's, plus the loopback aliases of PORT in local mode. Anything else is refused
   * before a route runs, which is what defeats DNS rebinding.
   */
  allowedHosts: readonly string[];
  /** Origin used in every emailed link, e.g. https://studio.example.com (no trailing slash). */
  publicUrl: string;
  /** Absolute path; holds SQLite files, generated secrets and the outbox. */
  dataDir: string;
  /** Names the resources: `amplify_backend_manager_<appId>`. */
  appId: string;
  /**
   * APP_ID was set. Without it local mode keeps a generated one in DATA_DIR; AWS mode names nothing by
   * a generated one (the pool's own name, or an export, tells the app id there).
   */
  appIdGiven: boolean;
  /** Suffix of the trigger function names: `amplify-login-<kind>-<shortCode>`. */
  shortCode: string;
  identityBackend: IdentityBackend;
  cognitoLocalPort: number;
  /** The embedded service's URL in local mode; undefined in aws mode (the SDK picks Cognito's). */
  cognitoEndpoint: string | undefined;
  awsRegion: string;
  /** Account id in the IAM role and Lambda ARNs; all zeros for the embedded service. */
  awsAccountId: string;
  userPoolId: string | undefined;
  /** The identity pool (the stack's IdentityPoolId output); found by name `amplify_backend_manager_<appId>` when unset. */
  identityPoolId: string | undefined;
  /** The DynamoDB table of the AWS stack (challenges, sessions, member records, team lock); aws mode only. */
  studioTable: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  bootstrapAdminEmail: string | undefined;
  sessionTtlMs: number;
  /**
   * Reverse proxies in front of the console that each append the address they saw to
   * X-Forwarded-For; 0 (default): the header is ignored and a client is the socket's remote address.
   */
  trustedProxies: number;
  /** At least 32 random bytes, base64url. */
  sessionSecret: string;
  productName: typeof PRODUCT_NAME;
  isProduction: boolean;
  /** GET /dev/cognito-calls answers with this process's Cognito call counts (for bench:console). */
  cognitoCallStats: boolean;
}

/**
 * Bad configuration: one line per problem, `<VARIABLE>: <what is wrong>`; `variable` names the first.
 */
export class ConfigError extends Error {
  /** Every line of the message, one per missing or wrong variable. */
  readonly lines: readonly string[];

  constructor(
    readonly variable: string,
    problem: string,
    more: ReadonlyArray<readonly [variable: string, problem: string]> = [],
  ) {
    const lines = [`${variable}: ${problem}`, ...more.map(([name, text]) => `${name}: ${text}`)];
    super(lines.join('\n'));
    this.lines = lines;
    this.name = 'ConfigError';
  }
}

/** Throws one ConfigError with a line per problem, if there are any. */
function throwProblems(problems: ReadonlyArray<readonly [string, string]>): void {
  const [first, ...rest] = problems;
  if (first) throw new ConfigError(first[0], first[1], rest);
}

const LOCAL_REGION = 'us-east-1';
const LOCAL_ACCOUNT_ID = '000000000000';
const MIN_SESSION_TTL_MS = 5 * 60_000;
const MAX_SESSION_TTL_MS = 30 * 24 * 3_600_000;

/** A value shown in an error message: quoted, one line, short, never a secret. */
function shown(raw: string): string {
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
}

/** An optional variable: empty counts as unset (as in most .env files); otherwise `parse` decides. */
function variable<T>(parse: (raw: string) => { value: T } | { problem: string }) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      const trimmed = raw?.trim();
      if (trimmed === undefined || trimmed === '') return undefined;
      const result = parse(trimmed);
      if ('problem' in result) {
        ctx.addIssue(result.problem);
        return z.NEVER;
      }
      return result.value;
    });
}

const portNumber = variable((raw) => {
  const value = Number(raw);
  return /^\d{1,5}$/.test(raw) && value >= 1 && value <= 65535
    ? { value }
    : { problem: `expected a port number 1-65535, got ${shown(raw)}` };
});

const publicUrl = variable((raw) => {
  const problem = `expected an http(s) origin such as https://studio.example.com, got ${shown(raw)}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem };
  }
  const bare = url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare) return { problem };
  return { value: url.origin };
});

// A listen address: an IP address, or a host name the resolver knows (e.g. localhost).
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

const host = variable((raw) => {
  const bare = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  return net.isIP(bare) !== 0 || (bare.length <= 253 && HOST_NAME.test(bare))
    ? { value: bare }
    : { problem: `expected an address to listen on such as 127.0.0.1, 0.0.0.0 or ::, got ${shown(raw)}` };
});

const trustedProxies = variable((raw) =>
  /^[0-5]$/.test(raw)
    ? { value: Number(raw) }
    : { problem: `expected how many reverse proxies append to X-Forwarded-For, 0-5, got ${shown(raw)}` },
);

const identityBackend = variable((raw) =>
  raw === 'local' || raw === 'aws'
    ? { value: raw as IdentityBackend }
    : { problem: `expected "local" or "aws", got ${shown(raw)}` },
);

const appId = variable((raw) =>
  /^[a-z0-9]{4,32}$/.test(raw)
    ? { value: raw }
    : { problem: `expected 4-32 lowercase letters or digits, got ${shown(raw)}` },
);

const shortCode = variable((raw) =>
  /^[a-z0-9]{8}$/.test(raw)
    ? { value: raw }
    : { problem: `expected 8 lowercase letters or digits, got ${shown(raw)}` },
);

// Cognito's SMTP_URL counterpart in nodemailer: smtp://[user:pass@]host[:port] or smtps://...
const smtpUrl = variable((raw) => {
  const redacted = raw.replace(/\/\/[^@/]*@/, '//***@');
  const problem = `expected smtp://host:port or smtps://user:password@host:port, got ${shown(redacted)}`;
  try {
    const url = new URL(raw);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname
      ? { value: raw }
      : { problem };
  } catch {
    return { problem };
  }
});

const ADDRESS = /^[^\s<>@"]+@[^\s<>@"]+\.?[^\s<>@"]*$/;

const mailFrom = variable((raw) => {
  const named = /^([^<>]*)<([^<>]+)>$/.exec(raw);
  const address = named ? named[2]!.trim() : raw;
  return ADDRESS.test(address)
    ? { value: raw }
    : { problem: `expected an address such as "Studio <no-reply@example.com>", got ${shown(raw)}` };
});

const email = variable((raw) => {
  const value = raw.toLowerCase();
  return z.email().safeParse(value).success
    ? { value }
    : { problem: `expected an email address, got ${shown(raw)}` };
});

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** `5h30m`, `90m`, `3600s`, `1d` → milliseconds; undefined when the text is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.replace(/\s+/g, ''));
  if (!match || text.trim() === '') return undefined;
  const [, d, h, m, s] = match;
  return (
    Number(d ?? 0) * UNIT_MS.d +
    Number(h ?? 0) * UNIT_MS.h +
    Number(m ?? 0) * UNIT_MS.m +
    Number(s ?? 0) * UNIT_MS.s
  );
}

const sessionTtl = variable((raw) => {
  const value = parseDuration(raw);
  return value !== undefined && value >= MIN_SESSION_TTL_MS && value <= MAX_SESSION_TTL_MS
    ? { value }
    : { problem: `expected a duration between 5m and 30d such as 5h30m, 90m or 3600s, got ${shown(raw)}` };
});

const sessionSecret = variable((raw) => {
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  return bytes.length >= 32
    ? { value: bytes.toString('base64url') }
    : {
        // Never echo a secret, not even a wrong one.
        problem: `expected at least 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`), got ${raw.length} characters`,
      };
});

const awsRegion = variable((raw) =>
  /^[a-z]{2}(-[a-z]+)+-\d+$/.test(raw)
    ? { value: raw }
    : { problem: `expected an AWS region such as us-east-1, got ${shown(raw)}` },
);

const awsAccountId = variable((raw) =>
  /^\d{12}$/.test(raw)
    ? { value: raw }
    : { problem: `expected a 12-digit AWS account id, got ${shown(raw)}` },
);

const flag = variable((raw) =>
  raw === '1' || raw === 'true'
    ? { value: true }
    : raw === '0' || raw === 'false'
      ? { value: false }
      : { problem: `expected 1 or 0, got ${shown(raw)}` },
);

const userPoolId = variable((raw) =>
  /^[a-z]{2}(-[a-z]+)+-\d+_[0-9a-zA-Z]+$/.test(raw)
    ? { value: raw }
    : { problem: `expected a user pool id such as us-east-1_AbC123xyz, got ${shown(raw)}` },
);

const identityPoolId = variable((raw) =>
  /^[a-z]{2}(-[a-z]+)+-\d+:[0-9a-f-]+$/.test(raw)
    ? { value: raw }
    : {
        problem: `expected an identity pool id such as us-east-1:1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d, got ${shown(raw)}`,
      },
);

// DynamoDB's table-name rule; dynalite (aws:local) also needs at least 3 characters.
const studioTable = variable((raw) =>
  /^[A-Za-z0-9_.-]{3,255}$/.test(raw)
    ? { value: raw }
    : { problem: `expected a DynamoDB table name (3-255 letters, digits, _ . -), got ${shown(raw)}` },
);

// Declaration order is the order problems are reported in, one line per bad variable.
const envSchema = z.object({
  PORT: portNumber,
  HOST: host,
  PUBLIC_URL: publicUrl,
  DATA_DIR: variable((raw) => ({ value: raw })),
  APP_ID: appId,
  SHORT_CODE: shortCode,
  IDENTITY_BACKEND: identityBackend,
  COGNITO_LOCAL_PORT: portNumber,
  SMTP_URL: smtpUrl,
  MAIL_FROM: mailFrom,
  BOOTSTRAP_ADMIN_EMAIL: email,
  SESSION_TTL: sessionTtl,
  SESSION_SECRET: sessionSecret,
  TRUSTED_PROXIES: trustedProxies,
  AWS_REGION: awsRegion,
  AWS_ACCOUNT_ID: awsAccountId,
  USER_POOL_ID: userPoolId,
  IDENTITY_POOL_ID: identityPoolId,
  STUDIO_TABLE: studioTable,
  COGNITO_CALL_STATS: flag,
  NODE_ENV: z.string().optional(),
});

/**
 * Validates `source` (process.env by default) into an `Env`, creating DATA_DIR and the generated
 * values kept there on first use. Throws ConfigError with a line per bad variable.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    // One line per bad variable, in declaration order.
    const seen = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      if (!seen.has(name)) seen.set(name, issue.message);
    }
    throwProblems([...seen]);
  }
  const vars = parsed.data!;
  const port = vars.PORT ?? 3000;
  const backend = vars.IDENTITY_BACKEND ?? 'local';
  const cognitoLocalPort = vars.COGNITO_LOCAL_PORT ?? 9229;

  if (backend === 'local' && cognitoLocalPort === port) {
    throw new ConfigError('COGNITO_LOCAL_PORT', `must differ from PORT (both are ${port})`);
  }
  if (backend === 'aws') requireAwsSettings(vars);

  const publicOrigin = vars.PUBLIC_URL ?? `http://localhost:${port}`;
  const publicHostIsLoopback = isLoopbackHost(new URL(publicOrigin).hostname);
  if (backend === 'local' && !vars.SMTP_URL && !publicHostIsLoopback) {
    throw new ConfigError(
      'SMTP_URL',
      `required when PUBLIC_URL (${publicOrigin}) is reachable from other machines: without it sign-in mail goes to the outbox, which only this machine may read, so members elsewhere could never sign in`,
    );
  }

  // The data directory is chosen at run time; nothing under it belongs in the build's file trace.
  const dataDir = prepareDataDir(path.resolve(/* turbopackIgnore: true */ vars.DATA_DIR ?? '.data'));
  const appId =
    vars.APP_ID ?? readOrCreate(dataDir, 'app-id', () => randomAlphanumerics(14), /^[a-z0-9]{4,32}$/);
  return {
    port,
    host:
      vars.HOST ?? (publicHostIsLoopback ? loopbackListenAddress(new URL(publicOrigin).hostname) : undefined),
    allowedHosts: allowedHostsFor(publicOrigin, port, backend),
    publicUrl: publicOrigin,
    dataDir,
    appId,
    appIdGiven: vars.APP_ID !== undefined,
    // AWS mode names the triggers as the stack does: SHORT_CODE, or the code derived from the app id.
    shortCode:
      vars.SHORT_CODE ??
      (backend === 'aws'
        ? derivedShortCode(appId)
        : readOrCreate(dataDir, 'short-code', () => randomAlphanumerics(8), /^[a-z0-9]{8}$/)),
    identityBackend: backend,
    cognitoLocalPort,
    cognitoEndpoint: backend === 'local' ? `http://127.0.0.1:${cognitoLocalPort}` : undefined,
    awsRegion: backend === 'aws' ? vars.AWS_REGION! : LOCAL_REGION,
    awsAccountId: backend === 'aws' ? (vars.AWS_ACCOUNT_ID ?? LOCAL_ACCOUNT_ID) : LOCAL_ACCOUNT_ID,
    userPoolId: vars.USER_POOL_ID,
    identityPoolId: vars.IDENTITY_POOL_ID,
    studioTable: backend === 'aws' ? vars.STUDIO_TABLE : undefined,
    smtpUrl: vars.SMTP_URL,
    mailFrom: vars.MAIL_FROM ?? 'Studio <no-reply@localhost>',
    bootstrapAdminEmail:
      vars.BOOTSTRAP_ADMIN_EMAIL ?? (backend === 'local' ? 'admin@example.com' : undefined),
    sessionTtlMs: vars.SESSION_TTL ?? 5 * UNIT_MS.h + 30 * UNIT_MS.m,
    trustedProxies: vars.TRUSTED_PROXIES ?? 0,
    sessionSecret:
      vars.SESSION_SECRET ??
      readOrCreate(
        dataDir,
        'session-secret',
        () => randomBytes(32).toString('base64url'),
        /^[A-Za-z0-9_-]{43,}$/,
      ),
    productName: PRODUCT_NAME,
    isProduction: vars.NODE_ENV === 'production',
    cognitoCallStats: vars.COGNITO_CALL_STATS ?? false,
  };
}

/**
 * AWS mode runs any number of stateless instances: everything they share comes from the
 * environment, nothing from DATA_DIR. Throws ConfigError with a line per missing or wrong value.
 */
function requireAwsSettings(vars: z.infer<typeof envSchema>): void {
  const required = 'required when IDENTITY_BACKEND=aws';
  const problems: Array<[string, string]> = [];
  if (!vars.AWS_REGION) problems.push(['AWS_REGION', `${required} (e.g. us-east-1)`]);
  if (!vars.STUDIO_TABLE) {
    problems.push([
      'STUDIO_TABLE',
      `${required}: the DynamoDB table the stack created (its output StudioTable)`,
    ]);
  }
  if (!vars.MAIL_FROM) {
    problems.push([
      'MAIL_FROM',
      `${required}: a sender SES may send from (e.g. "Studio <studio@example.com>")`,
    ]);
  }
  if (!vars.SESSION_SECRET) {
    problems.push([
      'SESSION_SECRET',
      `${required}, the same on every instance (e.g. \`openssl rand -base64 32\`)`,
    ]);
  }
  if (!vars.PUBLIC_URL) {
    problems.push(['PUBLIC_URL', `${required}: the console's https origin, e.g. https://studio.example.com`]);
  } else if (
    new URL(vars.PUBLIC_URL).protocol !== 'https:' &&
    !isLoopbackHost(new URL(vars.PUBLIC_URL).hostname)
  ) {
    // http only on this machine (npm run aws:local): a browser keeps cookies from localhost.
    problems.push(['PUBLIC_URL', `must be https when IDENTITY_BACKEND=aws, got ${shown(vars.PUBLIC_URL)}`]);
  }
  if (!vars.USER_POOL_ID && !vars.APP_ID) {
    problems.push([
      'USER_POOL_ID',
      `${required}: the user pool's id (e.g. us-east-1_AbC123xyz), or set APP_ID to find the pool amplify_backend_manager_<APP_ID>`,
    ]);
  }
  throwProblems(problems);
}

/** What the sign-in triggers need when they run as Lambda functions (the stack sets these). */
export interface TriggerEnv {
  /** The DynamoDB table that holds the sign-in challenges. */
  studioTable: string;
  /** Origin of the console, https; every emailed link starts with it. */
  publicUrl: string;
  /** The SES sender, an identity SES may send from. */
  mailFrom: string;
  productName: typeof PRODUCT_NAME;
}

const triggerEnvSchema = z.object({
  STUDIO_TABLE: studioTable,
  PUBLIC_URL: publicUrl,
  MAIL_FROM: mailFrom,
});

/**
 * The trigger-only configuration, validated from `source` (process.env by default). Unlike loadEnv it
 * touches no file system (a Lambda has none to keep) and needs no console settings. Throws
 * ConfigError naming the first missing or bad variable.
 */
export function loadTriggerEnv(source: Record<string, string | undefined> = process.env): TriggerEnv {
  const parsed = triggerEnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const { STUDIO_TABLE, PUBLIC_URL, MAIL_FROM } = parsed.data;
  if (!STUDIO_TABLE) throw new ConfigError('STUDIO_TABLE', 'required: the table the stack created');
  if (!PUBLIC_URL) throw new ConfigError('PUBLIC_URL', "required: the console's https origin");
  if (new URL(PUBLIC_URL).protocol !== 'https:') {
    throw new ConfigError('PUBLIC_URL', `must be https in AWS mode, got ${shown(PUBLIC_URL)}`);
  }
  if (!MAIL_FROM) throw new ConfigError('MAIL_FROM', 'required: a sender SES may send from');
  return { studioTable: STUDIO_TABLE, publicUrl: PUBLIC_URL, mailFrom: MAIL_FROM, productName: PRODUCT_NAME };
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1, as URL.hostname spells them. */
export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (net.isIPv4(name)) return name.startsWith('127.');
  return name === '::1';
}

/** The one loopback address to listen on for a loopback PUBLIC_URL host. */
function loopbackListenAddress(hostname: string): string {
  return hostname === '[::1]' ? '::1' : '127.0.0.1';
}

function allowedHostsFor(publicOrigin: string, port: number, backend: IdentityBackend): string[] {
  const hosts = new Set([new URL(publicOrigin).host.toLowerCase()]);
  if (backend === 'local') {
    for (const alias of ['localhost', '127.0.0.1', '[::1]']) hosts.add(`${alias}:${port}`);
  }
  return [...hosts];
}

let cached: Env | undefined;

/** The validated configuration of this process (memoized). Throws ConfigError on bad configuration. */
export function getEnv(): Env {
  cached ??= loadEnv(process.env);
  return cached;
}

/**
 * Sets NODE_ENV before anything reads it, as `next start` / `next dev` do; the start script's
 * `--dev` decides. Only meaningful before the first getEnv().
 */
export function setNodeEnv(mode: 'development' | 'production'): void {
  (process.env as Record<string, string | undefined>).NODE_ENV = mode;
  cached = undefined;
}

/** DATA_DIR created if needed, writable, and readable by its owner only (0700, tightened if looser). */
function prepareDataDir(dir: string): string {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new ConfigError('DATA_DIR', `cannot create or write ${shown(dir)} (${errorCode(error)})`);
  }
  try {
    ensurePrivateDir(dir);
  } catch (error) {
    throw new ConfigError(
      'DATA_DIR',
      `cannot make ${shown(dir)} private to its owner (0700) (${errorCode(error)}); use a directory of your own`,
    );
  }
  return dir;
}

/**
 * The value kept in `dataDir/<file>` (mode 0600), generated on first use. Of two processes starting together,
 * exactly one creates the file (a complete temp file hard-linked into place: the link fails if the
 * name exists), and both then read the same value.
 */
function readOrCreate(dataDir: string, file: string, generate: () => string, valid: RegExp): string {
  const target = path.join(dataDir, file);
  if (!fs.existsSync(target)) {
    const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      writePrivateFile(temp, `${generate()}\n`);
      try {
        fs.linkSync(temp, target);
      } catch (error) {
        if (errorCode(error) === 'EEXIST') {
          // The other process won; its value is the one.
        } else {
          // File systems without hard links: exclusive create still guarantees one winner.
          writePrivateFile(target, fs.readFileSync(temp));
        }
      }
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw new ConfigError('DATA_DIR', `cannot write ${shown(target)} (${errorCode(error)})`);
      }
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  try {
    ensurePrivateFile(target);
  } catch (error) {
    throw new ConfigError('DATA_DIR', `cannot make ${shown(target)} private (${errorCode(error)})`);
  }
  const value = fs.readFileSync(target, 'utf8').trim();
  if (!valid.test(value)) {
    throw new ConfigError(
      'DATA_DIR',
      `${shown(target)} is damaged; delete it and a new value will be generated`,
    );
  }
  return value;
}

const ALPHANUMERICS = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumerics(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHANUMERICS[randomInt(ALPHANUMERICS.length)];
  return text;
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
