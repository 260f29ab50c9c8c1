import { canResendInvite, hasFailedInviteEmail, type MemberRow, memberStatusText } from '@/lib/members';
import type { StatusTone } from './member-badges';

export interface MemberStatusView {
  label: string;
  tone: StatusTone;
  /** "Resend invite" applies: invited, not accepted (pending, expired, or the email failed). */
  resendable: boolean;
  /** In no access group: "Fix" puts them in one. */
  fixable: boolean;
  /** Why the invitation email failed, shown under the status while it counts as failed. */
  detail: string | null;
}

const TONES: Record<MemberRow['status'], StatusTone> = {
  active: 'success',
  pending: 'info',
  expired: 'warning',
  disabled: 'neutral',
};

/** What the Status column says of a member, and which row actions apply. */
export function memberStatusView(member: MemberRow): MemberStatusView {
  return {
    label: memberStatusText(member),
    tone: hasFailedInviteEmail(member) ? 'error' : TONES[member.status],
    resendable: canResendInvite(member),
    fixable: member.accessLevel === null,
    detail: hasFailedInviteEmail(member) ? member.inviteEmailError : null,
  };
}
