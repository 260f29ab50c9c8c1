import 'server-only';

// The rules of the Access control page (DESIGN.md §2, server/members): list, invite, change level,
// remove, resend, fix, and the activity log. Writes take the signed-in member as `actor` and check
// their level themselves.

export type { ActivityEntry, MemberRow } from '@/lib/members';
export type { Actor, MembersContext } from './context';
export { disableMembers, enableMembers, LAST_FULL_ACCESS_DISABLE } from './enablement';
export { FULL_ACCESS_REQUIRED_MESSAGE, isMembersError, MembersError } from './errors';
export { listMemberPage, type MemberListPage } from './list';
export { LAST_FULL_ACCESS_DEMOTE, LAST_FULL_ACCESS_REMOVE } from './rules';
export {
  type ActivityPage,
  changeAccessLevel,
  fixAccessLevel,
  inviteMembers,
  listActivity,
  recordActivity,
  removeMembers,
  resendInvites,
} from './service';
export type { ActivityStore, InviteStore, NewActivity } from './stores';
