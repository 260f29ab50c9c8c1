import 'server-only';

// Signing in (DESIGN.md §4): email links, accepting an invitation, the limits on both forms, and
// the refusals the activity log shows. The Cognito calls are in server/cognito/auth.ts.

export { CLIENT_ADDRESS_HEADER, clientKey, stampClientAddress } from './client-address';
export { type FailedSignIn, getSignInContext, getSignInLimits, type SignInContext } from './context';
export { SignInError, type SignInErrorCode } from './errors';
export { acceptInvitation, type InvitationAnswer } from './invitation';
export { createSignInLimits, type SignInLimits } from './limits';
export {
  describeSignInLink,
  type LinkDescription,
  type LinkRequest,
  requestSignInLink,
  signInWithLink,
  startLinkRequest,
} from './links';
