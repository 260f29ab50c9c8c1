// The port of the one-time sign-in links: types only, so a Lambda bundle importing it pulls in no
// implementation. The store only ever sees SHA-256 hashes of the secrets; minting and hashing live in
// ./links. Implementations: SQLite (embedded, ./sqlite) and DynamoDB (AWS, ./dynamodb).

/** A stored link, as the store knows it: the hash of its secret and the member it signs in. */
export interface StoredLink {
  /** SHA-256 of the secret, base64url. */
  secretHash: string;
  /** The Cognito username (the trigger event's `userName`). */
  username: string;
  /** Where the link was sent; shown on the landing page ("Sign in as …"). */
  email: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  expiresAt: number;
  /**
   * How the link reaches the member: 'email' (rate-limited: one a minute, five an hour) or 'operator'
   * (printed by the operator's CLI on this machine; sends nothing, so it neither waits for nor delays
   * an email).
   */
  channel: 'email' | 'operator';
}

export type PutResult =
  | { stored: true }
  /** 'interval': too soon after the last email; 'hourly': the member's hourly allowance is spent. */
  | { stored: false; reason: 'interval' | 'hourly'; retryAfterMs: number };

export interface PutLimits {
  /** Refuse when the member's last emailed link is younger than this. */
  minIntervalMs: number;
  /** Refuse when this many emailed links went to the member in the hour before. */
  maxPerHour?: number;
}

/** What a secret is, without spending it: the landing page tells people why a link no longer works. */
export type LinkState =
  | { state: 'valid'; username: string; email: string; expiresAt: number }
  | { state: 'used'; email: string }
  | { state: 'expired'; email: string }
  /** A newer link was sent to the same member, which retired this one. */
  | { state: 'replaced'; email: string }
  | { state: 'unknown' };

export type ConsumeResult =
  | { consumed: true; username: string; email: string }
  | { consumed: false; reason: 'used' | 'expired' | 'replaced' | 'unknown' | 'wrong-member' };

export interface ChallengeStore {
  /**
   * Stores a new link and retires the member's earlier unused one, in one step; refused when the
   * member's last emailed link was created less than `minIntervalMs` before `link.createdAt`, or when
   * `maxPerHour` emailed links were created in the hour before it. The check and the write are one
   * step for every instance sharing the store (operator links are neither refused nor counted).
   */
  put(link: StoredLink, options: PutLimits): Promise<PutResult>;
  /**
   * Spends the link atomically: of any number of concurrent calls with the same hash at most one
   * returns `consumed: true`. A link presented for another member is spent too (its holder leaked it).
   */
  consume(secretHash: string, username: string, now: number): Promise<ConsumeResult>;
  /** Looks a link up without spending it. */
  inspect(secretHash: string, now: number): Promise<LinkState>;
  /** Retires every unused link of the member (deleted, disabled, or signed out everywhere). */
  invalidate(username: string, now: number): Promise<void>;
  close(): void;
}
