// Per-client and per-address limits on the sign-in forms, counted in this process's memory: two
// console instances each allow the full amount (the per-address cap on link emails, which must hold
// everywhere, is the challenge store's: server/challenges). A client is the socket's remote address
// as the console sees it (./client-address); behind a reverse proxy that is the proxy, so all its
// users share one allowance, unless TRUSTED_PROXIES lets X-Forwarded-For name them.

const MINUTE = 60_000;

export interface Limit {
  limit: number;
  windowMs: number;
}

/** "Email me a sign-in link" requests from one client. */
export const LINK_REQUESTS_PER_CLIENT: Limit = { limit: 30, windowMs: 10 * MINUTE };
/** Invitation attempts (email + temporary password) from one client. */
export const INVITATION_ATTEMPTS_PER_CLIENT: Limit = { limit: 20, windowMs: 15 * MINUTE };
/**
 * Invitation attempts for one email, member or not, so the answer past the limit says nothing about
 * who is a member; below Cognito's own lockout (5 wrong passwords), which the console rarely meets.
 */
export const INVITATION_ATTEMPTS_PER_ADDRESS: Limit = { limit: 5, windowMs: 15 * MINUTE };

// Keys kept at most; past this the oldest go first (a flood of addresses must not grow memory).
const MAX_KEYS = 10_000;

export type Verdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** A sliding-window counter: at most `limit` takes per key in any `windowMs`. */
export class WindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly rule: Limit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt for `key` when it is allowed; a refused attempt is not counted. */
  take(key: string): Verdict {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - this.rule.windowMs);
    if (recent.length >= this.rule.limit) {
      this.hits.set(key, recent);
      return { allowed: false, retryAfterMs: recent[0]! + this.rule.windowMs - now };
    }
    recent.push(now);
    this.hits.delete(key);
    this.hits.set(key, recent);
    if (this.hits.size > MAX_KEYS) this.hits.delete(this.hits.keys().next().value!);
    return { allowed: true };
  }
}

export interface SignInLimits {
  linkRequestsPerClient: WindowLimiter;
  invitationsPerClient: WindowLimiter;
  invitationsPerAddress: WindowLimiter;
}

export function createSignInLimits(now: () => number = Date.now): SignInLimits {
  return {
    linkRequestsPerClient: new WindowLimiter(LINK_REQUESTS_PER_CLIENT, now),
    invitationsPerClient: new WindowLimiter(INVITATION_ATTEMPTS_PER_CLIENT, now),
    invitationsPerAddress: new WindowLimiter(INVITATION_ATTEMPTS_PER_ADDRESS, now),
  };
}
