// Why a sign-in did not happen, in the words the pages show. Cognito's refusals become these in
// ./links and ./invitation; nothing here knows Cognito.

export type SignInErrorCode =
  | 'link_invalid'
  | 'link_used'
  | 'link_expired'
  | 'link_replaced'
  | 'member_unavailable'
  | 'incorrect_credentials'
  | 'temporary_password_expired'
  | 'locked_out'
  | 'too_many_attempts';

const TOO_MANY_ATTEMPTS =
  'Too many attempts from here or for this email. Wait 15 minutes, then try again with the password from the newest invitation email.';

const MESSAGES: Record<SignInErrorCode, string> = {
  link_invalid: 'This sign-in link is not valid. Check that you opened the whole link from the email.',
  link_used: 'This sign-in link has already been used. Each link works once.',
  link_expired: 'This sign-in link has expired. Links work for 15 minutes.',
  link_replaced: 'A newer sign-in link was sent after this one, so this one no longer works.',
  member_unavailable:
    'This account cannot sign in: it was removed or disabled. Ask a Full-access member of your team.',
  incorrect_credentials: 'The email or temporary password is incorrect.',
  temporary_password_expired:
    'Your temporary password has expired. Ask a Full-access member of your team to send you a new invitation.',
  // The same words as the console's own limit, which strangers meet too: only an invitee can be locked
  // out by Cognito, so a different text would tell who is one.
  locked_out: TOO_MANY_ATTEMPTS,
  too_many_attempts: TOO_MANY_ATTEMPTS,
};

export class SignInError extends Error {
  constructor(
    readonly code: SignInErrorCode,
    message = MESSAGES[code],
  ) {
    super(message);
    this.name = 'SignInError';
  }
}
