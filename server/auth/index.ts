import 'server-only';

export { getSession, requireFullAccess, requireMember, type Session, verifySameOrigin } from './dal';
export { dropMemberAccessCache } from './member-cache';
export { clearSessionCookie, startSession } from './session';
