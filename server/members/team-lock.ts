// A lease on the team (a port, types only): what makes a read-check-write on the team exact across
// console instances, e.g. the last-admin guard (demote, disable or delete a Full-access member only
// while another Full-access member stays). Implementations: SQLite (./team-lock-sqlite) and DynamoDB
// (./team-lock-dynamodb), each one conditional write per call. A holder that crashes holds nothing
// once its lease expires; a holder whose work may outlast the lease renews it first.

export interface LeaseRequest {
  /** Which lock, e.g. 'team'. */
  name: string;
  /** Who holds it: unique per holder (an instance and request), never shared. */
  owner: string;
  /** The caller's clock, ms since the epoch. */
  now: number;
  /** How long the lease lasts from `now`, ms (> 0). */
  ttlMs: number;
}

export type AcquireResult =
  | { acquired: true; expiresAt: number }
  /** Another owner holds an unexpired lease: it ends in `retryAfterMs` at the latest. */
  | { acquired: false; retryAfterMs: number };

export interface TeamLock {
  /** Takes the lease when it is free, expired or already the owner's (then it is extended). */
  acquire(request: LeaseRequest): Promise<AcquireResult>;
  /** Extends the owner's unexpired lease to `now + ttlMs`; false when the owner no longer holds it. */
  renew(request: LeaseRequest): Promise<boolean>;
  /** Gives the lease up at once; false when the owner did not hold it. */
  release(request: Pick<LeaseRequest, 'name' | 'owner'>): Promise<boolean>;
}
