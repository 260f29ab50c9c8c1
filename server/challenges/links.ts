import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ChallengeStore } from './port';

/** A link works for 15 minutes; a member is emailed at most one every 60 seconds, and five an hour. */
export const LINK_TTL_MS = 15 * 60 * 1000;
export const MIN_SEND_INTERVAL_MS = 60 * 1000;
export const MAX_EMAILS_PER_HOUR = 5;

/** 32 random bytes (256 bits), base64url: 43 characters that survive any mail client and URL parser. */
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** True for strings shaped like a secret; anything else is refused before it reaches a store. */
export function isSecretShaped(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

/** What the store keeps instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/**
 * Constant-time string equality. Both sides are hashed first so neither the length nor the position
 * of the first difference shows in the timing.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}

/** `PUBLIC_URL/auth/link#<secret>`: the fragment never reaches a server log or a Referer header. */
export function signInLinkUrl(publicUrl: string, secret: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/auth/link#${secret}`;
}

export interface IssuedLink {
  secret: string;
  url: string;
  expiresAt: number;
}

export interface IssueOptions {
  publicUrl: string;
  now: number;
  /**
   * 'email' (default): refused within MIN_SEND_INTERVAL_MS of the member's last emailed link, and
   * past MAX_EMAILS_PER_HOUR emailed links in the last hour.
   * 'operator': the CLI's link, printed rather than mailed; never refused, never counted.
   */
  channel?: 'email' | 'operator';
  ttlMs?: number;
}

/**
 * Mints a secret for the member and stores its hash, retiring their earlier link. Undefined when an
 * emailed link went to the member less than a minute ago, or five did in the last hour (nothing is
 * stored, nothing should be sent).
 */
export async function issueSignInLink(
  store: ChallengeStore,
  member: { username: string; email: string },
  options: IssueOptions,
): Promise<IssuedLink | undefined> {
  const secret = newSecret();
  const expiresAt = options.now + (options.ttlMs ?? LINK_TTL_MS);
  const channel = options.channel ?? 'email';
  const result = await store.put(
    {
      secretHash: hashSecret(secret),
      username: member.username,
      email: member.email,
      createdAt: options.now,
      expiresAt,
      channel,
    },
    channel === 'email'
      ? { minIntervalMs: MIN_SEND_INTERVAL_MS, maxPerHour: MAX_EMAILS_PER_HOUR }
      : { minIntervalMs: 0 },
  );
  if (!result.stored) return undefined;
  return { secret, url: signInLinkUrl(options.publicUrl, secret), expiresAt };
}
