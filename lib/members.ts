import { type AccessLevel, accessLevelLabel } from './access-levels';

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

/** A row of the Access control table: the member, plus what the console itself knows about them. */
export type MemberRow = Member & {
  /** The invitation email: 'failed' while its last sending failed (shown "Invite email failed"). */
  inviteEmail: 'sent' | 'failed' | null;
  /** Why the invitation email failed (the mail server's or SES's words), while it counts as failed. */
  inviteEmailError: string | null;
  /** Email of the Full-access member who invited them through the console, when known. */
  invitedBy: string | null;
  /** ISO 8601: the latest of Cognito's last change and the console's last change (invite, level). */
  lastChangedAt: string;
};

export const INVITE_EMAIL_FAILED_LABEL = 'Invite email failed';
export const NO_ACCESS_LEVEL_LABEL = 'No access level';

/** An invitation is outstanding: the member has not accepted it (whether or not it is still valid). */
export function isInvitationOutstanding(member: Pick<Member, 'status'>): boolean {
  return member.status === 'pending' || member.status === 'expired';
}

/** The last invitation email to this member failed and they have not accepted since. */
export function hasFailedInviteEmail(row: Pick<MemberRow, 'status' | 'inviteEmail'>): boolean {
  return row.inviteEmail === 'failed' && isInvitationOutstanding(row);
}

/** The Status column: "Pending", "Active", "Disabled", "Expired", or "Invite email failed". */
export function memberStatusText(row: Pick<MemberRow, 'status' | 'inviteEmail'>): string {
  return hasFailedInviteEmail(row) ? INVITE_EMAIL_FAILED_LABEL : memberStatusLabels[row.status];
}

/** The Access level column: "Full access", "Manage only", or "No access level" (needs a fix). */
export function accessLevelText(level: AccessLevel | null): string {
  return level === null ? NO_ACCESS_LEVEL_LABEL : accessLevelLabel(level);
}

/** "Resend invite" applies to Pending and Expired members (including "Invite email failed"). */
export function canResendInvite(member: Pick<Member, 'status'>): boolean {
  return isInvitationOutstanding(member);
}

// The table's filters (URL search params, parsed by memberQuerySchema in lib/member-schemas.ts).

export const memberLevelFilters = ['full', 'manage', 'none'] as const;
export type MemberLevelFilter = (typeof memberLevelFilters)[number];
export const memberLevelFilterLabels: Record<MemberLevelFilter, string> = {
  full: 'Full access',
  manage: 'Manage only',
  none: NO_ACCESS_LEVEL_LABEL,
};

export const memberStatusFilters = [...memberStatuses, 'invite-failed'] as const;
export type MemberStatusFilter = (typeof memberStatusFilters)[number];
export const memberStatusFilterLabels: Record<MemberStatusFilter, string> = {
  ...memberStatusLabels,
  'invite-failed': INVITE_EMAIL_FAILED_LABEL,
};

export const memberPageSizes = [10, 25, 50] as const;
export type MemberPageSize = (typeof memberPageSizes)[number];
export const DEFAULT_MEMBER_PAGE_SIZE: MemberPageSize = 25;

// The activity log (shown on /settings/activity).

export const activityActions = [
  'invite',
  'resend',
  'invite-bounced',
  'change-level',
  'delete',
  'fix-level',
  'disable',
  'enable',
  'sign-in',
  'failed-sign-in',
  'sign-out',
  'sign-out-all',
  'aws-credentials',
  'studio-repair',
  'studio-disable',
  'studio-enable',
] as const;
export type ActivityAction = (typeof activityActions)[number];

export const activityActionLabels: Record<ActivityAction, string> = {
  invite: 'Invited',
  resend: 'Resent invite',
  'invite-bounced': 'Invite email bounced',
  'change-level': 'Changed access level',
  delete: 'Deleted',
  'fix-level': 'Set missing access level',
  disable: 'Disabled',
  enable: 'Enabled',
  'sign-in': 'Signed in',
  'failed-sign-in': 'Failed sign-in',
  'sign-out': 'Signed out',
  'sign-out-all': 'Signed out of all sessions',
  'aws-credentials': 'Got AWS credentials',
  'studio-repair': 'Repaired Studio',
  'studio-disable': 'Disabled Studio',
  'studio-enable': 'Enabled Studio',
};

export interface ActivityEntry {
  id: string;
  /** ISO 8601. */
  at: string;
  /** Who did it (for sign-in and sign-out, the member themself). */
  actorEmail: string;
  action: ActivityAction;
  /** Whom it was done to; null when it concerns no one else. */
  targetEmail: string | null;
  /** e.g. the access level given: "Manage only", "Full access → Manage only". */
  detail: string | null;
  outcome: 'success' | 'failure';
  /** Why it failed, or a note on a success. */
  message: string | null;
}
