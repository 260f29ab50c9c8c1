import { derivedShortCode } from '../../server/cognito/short-code';
import { parseDuration } from '../../server/env';

// The stack's parameters, validated from an environment-like record (infra/bin reads process.env;
// tests pass their own). Same variables and rules as the console's (DESIGN.md §5).

export interface StackConfig {
  /** Names the pool and identity pool: `amplify_backend_manager_<appId>`. */
  appId: string;
  /** Suffix of the trigger names: `amplify-login-<kind>-<shortCode>`. */
  shortCode: string;
  /** The DynamoDB table's name (STUDIO_TABLE). */
  tableName: string;
  /** The console's https origin; every emailed link starts with it. */
  publicUrl: string;
  sessionTtlMs: number;
  /** A verified SES identity: a domain (example.com) or an address (no-reply@example.com). */
  sesIdentity: string | undefined;
  /** The sender of every mail, e.g. "Studio <no-reply@example.com>"; its address within sesIdentity. */
  mailFrom: string;
  bootstrapAdminEmail: string | undefined;
}

export class StackConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable}: ${problem}`);
    this.name = 'StackConfigError';
  }
}

const DEFAULT_SESSION_TTL_MS = 5.5 * 3_600_000;
const MIN_SESSION_TTL_MS = 5 * 60_000;
const MAX_SESSION_TTL_MS = 30 * 86_400_000;
const ADDRESS = /^[^\s<>@"]+@([^\s<>@"]+)$/;
const DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

function shown(raw: string): string {
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
}

/** "Studio <no-reply@example.com>" or "no-reply@example.com" → name and address. */
export function parseSender(raw: string): { name: string | undefined; address: string } | undefined {
  const named = /^([^<>]*)<([^<>]+)>$/.exec(raw);
  const address = (named ? named[2]! : raw).trim();
  if (!ADDRESS.test(address)) return undefined;
  const name = (named?.[1] ?? '').trim().replace(/^"(.*)"$/, '$1');
  return { name: name || undefined, address };
}

export function stackConfigFrom(source: Record<string, string | undefined>): StackConfig {
  const value = (name: string) => {
    const raw = source[name]?.trim();
    return raw === '' ? undefined : raw;
  };

  const appId = value('APP_ID');
  if (!appId) {
    throw new StackConfigError(
      'APP_ID',
      'required: 4-32 lowercase letters or digits, e.g. APP_ID=d1a2b3c4d5',
    );
  }
  if (!/^[a-z0-9]{4,32}$/.test(appId)) {
    throw new StackConfigError('APP_ID', `expected 4-32 lowercase letters or digits, got ${shown(appId)}`);
  }

  const shortCode = value('SHORT_CODE') ?? derivedShortCode(appId);
  if (!/^[a-z0-9]{8}$/.test(shortCode)) {
    throw new StackConfigError(
      'SHORT_CODE',
      `expected 8 lowercase letters or digits, got ${shown(shortCode)}`,
    );
  }

  const tableName = value('STUDIO_TABLE') ?? `studio_access_${appId}`;
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new StackConfigError(
      'STUDIO_TABLE',
      `expected a DynamoDB table name (3-255 letters, digits, _ . -), got ${shown(tableName)}`,
    );
  }

  const rawUrl = value('PUBLIC_URL');
  if (!rawUrl) {
    throw new StackConfigError(
      'PUBLIC_URL',
      "required: the console's https origin, e.g. https://studio.example.com",
    );
  }
  let url: URL | undefined;
  try {
    url = new URL(rawUrl);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new StackConfigError(
      'PUBLIC_URL',
      `expected an https origin such as https://studio.example.com, got ${shown(rawUrl)}`,
    );
  }

  const rawTtl = value('SESSION_TTL');
  const sessionTtlMs = rawTtl === undefined ? DEFAULT_SESSION_TTL_MS : parseDuration(rawTtl);
  if (sessionTtlMs === undefined || sessionTtlMs < MIN_SESSION_TTL_MS || sessionTtlMs > MAX_SESSION_TTL_MS) {
    throw new StackConfigError(
      'SESSION_TTL',
      `expected a duration between 5m and 30d such as 5h30m, 90m or 3600s, got ${shown(rawTtl ?? '')}`,
    );
  }

  const sesIdentity = value('SES_IDENTITY')?.toLowerCase();
  if (sesIdentity !== undefined && !ADDRESS.test(sesIdentity) && !DOMAIN.test(sesIdentity)) {
    throw new StackConfigError(
      'SES_IDENTITY',
      `expected a verified SES domain (example.com) or address (no-reply@example.com), got ${shown(sesIdentity)}`,
    );
  }
  const rawFrom = value('MAIL_FROM');
  if (sesIdentity !== undefined && rawFrom === undefined) {
    throw new StackConfigError(
      'MAIL_FROM',
      `required with SES_IDENTITY, e.g. "Studio <no-reply@${sesIdentity.split('@').pop()}>"`,
    );
  }
  const mailFrom = rawFrom ?? 'Studio <no-reply@verificationemail.com>';
  const sender = parseSender(mailFrom);
  if (!sender) {
    throw new StackConfigError(
      'MAIL_FROM',
      `expected an address such as "Studio <no-reply@example.com>", got ${shown(mailFrom)}`,
    );
  }
  if (sesIdentity !== undefined) {
    const address = sender.address.toLowerCase();
    const fits = sesIdentity.includes('@') ? address === sesIdentity : address.endsWith(`@${sesIdentity}`);
    if (!fits) {
      throw new StackConfigError(
        'MAIL_FROM',
        `${shown(sender.address)} is not within SES_IDENTITY ${shown(sesIdentity)}`,
      );
    }
  }

  const bootstrap = value('BOOTSTRAP_ADMIN_EMAIL')?.toLowerCase();
  if (bootstrap !== undefined && !ADDRESS.test(bootstrap)) {
    throw new StackConfigError('BOOTSTRAP_ADMIN_EMAIL', `expected an email address, got ${shown(bootstrap)}`);
  }

  return {
    appId,
    shortCode,
    tableName,
    publicUrl: url.origin,
    sessionTtlMs,
    sesIdentity,
    mailFrom,
    bootstrapAdminEmail: bootstrap,
  };
}
