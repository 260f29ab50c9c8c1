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
  locked_out:
    'Too many wrong temporary passwords were entered for this invitation, so it is locked for a while. Wait 15 minutes, then try again with the password from the newest invitation email.',
  too_many_attempts:
    'Too many attempts from here or for this email. Wait 15 minutes, then try again with the password from the newest invitation email.',
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
