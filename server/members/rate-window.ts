// A shared rate limit (a port, types only): a count per name and fixed time window, kept where
// every console instance sees it, so a cap such as Cognito's AdminCreateUser quota (the AWS
// account's, not one process's) holds however many instances send. Implementations: SQLite
// (./rate-window-sqlite: the processes on one DATA_DIR) and DynamoDB (./rate-window-dynamodb: the
// instances on one STUDIO_TABLE), each one conditional write per take. Windows are fixed: the one
// holding `now` starts at the last multiple of `windowMs` since the epoch.

export interface RateWindowRequest {
  /** Which limit, e.g. 'AdminCreateUser'. */
  name: string;
  /** At most this many takes per window (a whole number above 0). */
  limit: number;
  /** The window's length, ms (a whole number above 0), e.g. 1000 for "per second". */
  windowMs: number;
  /** The caller's clock, ms since the epoch: it picks the window. */
  now: number;
}

export type RateWindowResult =
  | { taken: true }
  /** The window holding `now` is full: the next one starts in `retryAfterMs` (at least 1). */
  | { taken: false; retryAfterMs: number };

export interface RateWindowStore {
  /** Counts one take in the window holding `now`, unless it already holds `limit`. */
  take(request: RateWindowRequest): Promise<RateWindowResult>;
}
