import type { AccessLevel } from './access-levels';

// A team member as the console shows it. Plain data: safe to pass from server to client components.

export const memberStatuses = ['pending', 'active', 'disabled', 'expired'] as const;

/** pending: invited, not yet accepted; expired: the invitation's temporary password is past its validity. */
export type MemberStatus = (typeof memberStatuses)[number];

export const memberStatusLabels: Record<MemberStatus, string> = {
  pending: 'Pending',
  active: 'Active',
  disabled: 'Disabled',
  expired: 'Expired',
};

export interface Member {
  /** Cognito's username (in an email-username pool, an opaque id); stable across email changes. */
  username: string;
  email: string;
  /** null when the member is in neither access group (e.g. half-finished invite). */
  accessLevel: AccessLevel | null;
  status: MemberStatus;
  enabled: boolean;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
}

export interface MemberPage {
  members: Member[];
  /** Pass back as `paginationToken` for the next page; undefined on the last page. */
  nextToken: string | undefined;
}
