import { escapeHtml, formatExpiry, type RenderedEmail, renderFrame } from './layout';

export interface SignInLinkEmailInput {
  productName: string;
  email: string;
  url: string;
  expiresAt: number;
  /** Minutes the link lives, for the sentence "works once within N minutes". */
  ttlMinutes: number;
}

export function renderSignInLinkEmail(input: SignInLinkEmailInput): RenderedEmail {
  const expiry = formatExpiry(input.expiresAt);
  const subject = `Your sign-in link for ${input.productName}`;
  const text = [
    `Sign in to ${input.productName}`,
    '',
    `Someone (hopefully you) asked to sign in to ${input.productName} as ${input.email}.`,
    'Open this link to sign in:',
    '',
    input.url,
    '',
    `The link works once, within ${input.ttlMinutes} minutes (until ${expiry}).`,
    'If you did not ask for it, ignore this email: nobody can sign in without the link.',
    '',
    `— ${input.productName}`,
  ].join('\n');
  const html = renderFrame({
    productName: input.productName,
    preheader: `Your one-time link to sign in as ${input.email}. It expires in ${input.ttlMinutes} minutes.`,
    heading: `Sign in to ${input.productName}`,
    intro: [
      `Someone (hopefully you) asked to sign in to ${escapeHtml(input.productName)} as <strong>${escapeHtml(input.email)}</strong>.`,
    ],
    button: { label: `Sign in to ${input.productName}`, url: input.url },
    outro: [
      `The link works once, within ${input.ttlMinutes} minutes (until ${escapeHtml(expiry)}).`,
      `If the button does not work, copy this address into your browser:<br><a href="${escapeHtml(input.url)}" style="color:#047d95;word-break:break-all;">${escapeHtml(input.url)}</a>`,
    ],
    footer: 'If you did not ask for this email, you can ignore it: nobody can sign in without the link.',
  });
  return { subject, text, html };
}
