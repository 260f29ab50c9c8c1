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

export const temporaryPasswordSchema = z.object({ email, temporaryPassword });

export const PASSWORD_MIN_LENGTH = 8;

export const acceptInvitationSchema = z.discriminatedUnion('method', [
  z.object({
    email,
    temporaryPassword,
    method: z.literal('password'),
    newPassword: z
      .string({ error: 'Choose a new password.' })
      .min(PASSWORD_MIN_LENGTH, { error: `Use at least ${PASSWORD_MIN_LENGTH} characters.` })
      .max(256, { error: 'Use at most 256 characters.' }),
  }),
  z.object({ email, temporaryPassword, method: z.literal('links') }),
]);

export type AcceptInvitationField = 'email' | 'temporaryPassword' | 'newPassword' | 'method';

/** Why a sign-in link cannot sign anyone in; each has its own page text. */
export type LinkProblem = 'invalid' | 'used' | 'expired' | 'replaced' | 'unavailable';

export type LinkSignInState = ActionState & { problem?: LinkProblem };

/** What the landing page learns about a link before anyone clicks. */
export type LinkDescription =
  | { status: 'valid'; email: string }
  | { status: 'problem'; problem: LinkProblem; message: string; email?: string };

export type InvitationState = ActionState<AcceptInvitationField> & {
  /** Step 1 passed: the temporary password is right; show the password choice. */
  verified?: boolean;
  /** The temporary password has expired: the only way forward is a new invitation. */
  expired?: boolean;
};

/** The login page's answer to every request, member or not. */
export const CHECK_INBOX_MESSAGE =
  'If this email belongs to a member of this team, a sign-in link is on its way. It works once, within 15 minutes.';
