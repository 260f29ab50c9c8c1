import type { AccessLevel } from '@/lib/access-levels';
import type { ActivityEntry } from '@/lib/members';

// The console's own records about members, beside Cognito's: the activity log and what each
// invitation was (who sent it, at which level, whether its email went out). Ports, types only:
// SQLite (embedded, ./sqlite) and DynamoDB (AWS, ./dynamodb) implement them.

/** An entry to add to the log; the store gives it its id. */
export type NewActivity = Omit<ActivityEntry, 'id' | 'at'> & {
  /** Milliseconds since the epoch; the store's clock when absent. */
  at?: number;
};

export interface ActivityQuery {
  /** Only entries where this email is the actor or the target. */
  member?: string;
  /** From a previous answer's `nextCursor`: continue with older entries. */
  cursor?: string;
  limit: number;
}

export interface ActivityStore {
  record(entry: NewActivity): Promise<ActivityEntry>;
  /** Newest first. */
  list(query: ActivityQuery): Promise<{ entries: ActivityEntry[]; nextCursor?: string }>;
}

/** What the console recorded about a member's invitation and its later changes. Keyed by email. */
export interface InviteRecord {
  email: string;
  username: string | null;
  /** Who sent the (last) invitation; null for members the console did not invite. */
  invitedBy: string | null;
  /** The level the member should hold: repairs a member left in no group by a half-finished write. */
  accessLevel: AccessLevel | null;
  /** Whether the last invitation email went out; null when the console sent none. */
  delivery: 'sent' | 'failed' | null;
  /** Why the last invitation email failed. */
  deliveryError: string | null;
  /** Milliseconds since the epoch. */
  invitedAt: number | null;
  /** The console's last change to this member (invite, resend, level), ms. */
  changedAt: number;
}

export interface InviteStore {
  getMany(emails: readonly string[]): Promise<Map<string, InviteRecord>>;
  /** A (new) invitation: replaces whatever was known about the email. */
  recordInvitation(record: {
    email: string;
    username: string;
    invitedBy: string;
    accessLevel: AccessLevel;
    delivery: 'sent' | 'failed';
    deliveryError: string | null;
    at: number;
  }): Promise<void>;
  /** The invitation was sent again (or failed again) by `invitedBy`. */
  recordDelivery(
    email: string,
    update: {
      username: string;
      invitedBy: string;
      delivery: 'sent' | 'failed';
      deliveryError: string | null;
      at: number;
    },
  ): Promise<void>;
  /** The member's level was set by the console. */
  recordLevel(
    email: string,
    update: { username: string; accessLevel: AccessLevel; at: number },
  ): Promise<void>;
  remove(email: string): Promise<void>;
  /**
   * An invitation email bounced (SES told us after it was sent): marks the member's invitation failed
   * with `reason`, but only while its email counts as sent and no invitation was recorded after
   * `invitedNoLaterThan` (a later invitation's own mail may well arrive). Returns the record as
   * marked, or null when nothing was changed (no record, already failed, or a later invitation).
   */
  recordBounce(
    email: string,
    bounce: { reason: string; invitedNoLaterThan: number },
  ): Promise<InviteRecord | null>;
  /** Members whose last invitation email failed (whose email starts with `prefix`), by email. */
  listFailed(params: {
    after?: string;
    prefix?: string;
    limit: number;
  }): Promise<{ records: InviteRecord[]; next?: string }>;
}

/** The two member stores of one backend, opened together. */
export interface MemberStores {
  activity: ActivityStore;
  invites: InviteStore;
  close(): void;
}
