import type { ActionState } from './action-state';
import { z } from './zod';

// The sign-in and invitation forms: what the browser may send, and what the pages show back.

const email = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }));

export const requestLinkSchema = z.object({ email });

/** A link's secret: 32 random bytes, base64url (43 characters), as minted by server/challenges. */
export const linkSecretSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{43}$/, { error: 'This sign-in link is not valid.' });

export const linkAnswerSchema = z.object({ secret: linkSecretSchema });

const temporaryPassword = z
  .string({ error: 'Enter the temporary password from your invitation.' })
  .min(1, { error: 'Enter the temporary password from your invitation.' })
  .max(256, { error: 'That is longer than any temporary password.' });

/** Accepting an invitation: the email and the temporary password from it, nothing to choose. */
export const acceptInvitationSchema = z.object({ email, temporaryPassword });

export type AcceptInvitationField = 'email' | 'temporaryPassword';

/** Why a sign-in link cannot sign anyone in; each has its own page text. */
export type LinkProblem = 'invalid' | 'used' | 'expired' | 'replaced' | 'unavailable';

export type LinkSignInState = ActionState & { problem?: LinkProblem };

/** What the landing page learns about a link before anyone clicks. */
export type LinkDescription =
  | { status: 'valid'; email: string }
  | { status: 'problem'; problem: LinkProblem; message: string; email?: string };

export type InvitationState = ActionState<AcceptInvitationField> & {
  /** The temporary password has expired: the only way forward is a new invitation. */
  expired?: boolean;
};

/** What the invitation page says about signing in once the invitation is accepted. */
export const LINKS_FROM_NOW_ON =
  'There is no password to choose: after this, you sign in with a one-time link we email you.';

/** The login page's answer to every request, member or not. */
export const CHECK_INBOX_MESSAGE =
  'If this email belongs to a member of this team, a sign-in link is on its way. It works once, within 15 minutes.';
