import { escapeHtml, formatExpiry, type RenderedEmail, renderFrame } from './layout';

// Cognito replaces these in the message it sends; both must appear or AdminCreateUser fails.
export const USERNAME_PLACEHOLDER = '{username}';
export const CODE_PLACEHOLDER = '{####}';

export interface InvitationEmailInput {
  productName: string;
  publicUrl: string;
  /** Email of the member who sent the invitation, when known. */
  invitedBy?: string;
  /** "Full access" / "Manage only", with its one-line description, when known. */
  accessLevel?: { label: string; description: string };
  /** The invitee's email, to prefill the form; the placeholders carry the credentials. */
  email?: string;
  /** When the temporary password stops working. */
  expiresAt: number;
}

export function inviteUrl(publicUrl: string, email?: string): string {
  const base = `${publicUrl.replace(/\/+$/, '')}/invite`;
  return email ? `${base}?email=${encodeURIComponent(email)}` : base;
}

/**
 * The invitation Cognito sends on AdminCreateUser: `{username}` and `{####}` are left in place for
 * Cognito to fill in with the user name and the temporary password.
 */
export function renderInvitationEmail(input: InvitationEmailInput): RenderedEmail {
  const url = inviteUrl(input.publicUrl, input.email);
  const expiry = formatExpiry(input.expiresAt);
  const who = input.invitedBy ?? 'A team administrator';
  const subject = input.invitedBy
    ? `${input.invitedBy} invited you to ${input.productName}`
    : `You are invited to ${input.productName}`;
  const level = input.accessLevel;

  const text = [
    `You are invited to ${input.productName}`,
    '',
    `${who} invited you to join the team on ${input.productName}${level ? ` with ${level.label}: ${level.description}` : '.'}`,
    '',
    `User name: ${USERNAME_PLACEHOLDER}`,
    `Temporary password: ${CODE_PLACEHOLDER}`,
    `The temporary password expires on ${expiry}.`,
    '',
    `Accept the invitation: ${url}`,
    'Enter your email and the temporary password, and you are in. From then on you sign in with a one-time link sent to this address.',
    '',
    'If you were not expecting this invitation, you can ignore this email.',
    `— ${input.productName}`,
  ].join('\n');

  const html = renderFrame({
    productName: input.productName,
    preheader: `${who} invited you to ${input.productName}. Your temporary password expires on ${expiry}.`,
    heading: `You are invited to ${input.productName}`,
    intro: [
      `<strong>${escapeHtml(who)}</strong> invited you to join the team on ${escapeHtml(input.productName)}${
        level ? ` with <strong>${escapeHtml(level.label)}</strong>: ${escapeHtml(level.description)}` : '.'
      }`,
    ],
    details: [
      ['User name', `<strong>${USERNAME_PLACEHOLDER}</strong>`],
      [
        'Temporary password',
        `<code style="font-family:Menlo,Consolas,monospace;font-size:15px;background:#f5f6f7;padding:2px 6px;border-radius:4px;">${CODE_PLACEHOLDER}</code>`,
      ],
      ['Expires', escapeHtml(expiry)],
    ],
    button: { label: 'Accept invitation', url },
    outro: [
      `Or open this address: <a href="${escapeHtml(url)}" style="color:#047d95;word-break:break-all;">${escapeHtml(url)}</a>`,
      'On that page, enter your email and the temporary password, and you are in. From then on you sign in with a one-time link sent to this address.',
      `The temporary password works until ${escapeHtml(expiry)}. After that, ask ${escapeHtml(input.invitedBy ?? 'a team administrator')} for a new invitation.`,
    ],
    footer: 'If you were not expecting this invitation, you can ignore this email.',
  });
  return { subject, text, html };
}
