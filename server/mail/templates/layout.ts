// The frame every email shares: a centred card with the product name, a heading, a call-to-action
// button, a details table and a footer. Tables and inline styles, because mail clients (Outlook,
// Gmail) ignore <style> blocks and most of modern CSS.

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailFrame {
  productName: string;
  /** Shown by clients beside the subject in the inbox list; never in the body. */
  preheader: string;
  heading: string;
  /** Paragraphs of already-escaped HTML. */
  intro: string[];
  button?: { label: string; url: string };
  /** Label → already-escaped HTML value, shown as a two-column table. */
  details?: [string, string][];
  /** Paragraphs of already-escaped HTML below the button. */
  outro?: string[];
  footer: string;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
// Amplify UI's default theme: brand teal (primary 80) and neutral greys.
const BRAND = '#047d95';
const INK = '#0d1a26';
const MUTED = '#5c6670';
const RULE = '#dcdee0';

/**
 * The HTML of one email. Written without indentation and with one block per line of text, so that a
 * tag-stripping converter (the embedded identity service makes the text part of an HTML invitation
 * that way) still yields a readable plain-text message.
 */
export function renderFrame(frame: EmailFrame): string {
  const paragraph = (html: string) =>
    `<p style="margin:0 0 16px;font-size:16px;line-height:24px;color:${INK};">${html}</p>`;
  const button = frame.button
    ? `<table role="presentation" cellspacing="0" cellpadding="0" border="0" style="margin:8px 0 24px;"><tr><td style="border-radius:6px;background:${BRAND};"><a href="${escapeHtml(frame.button.url)}" style="display:inline-block;padding:12px 24px;font-family:${FONT};font-size:16px;font-weight:600;line-height:24px;color:#ffffff;text-decoration:none;border-radius:6px;">${escapeHtml(frame.button.label)}</a></td></tr></table>`
    : '';
  const details = frame.details?.length
    ? `<div style="margin:0 0 24px;padding:12px 16px;border:1px solid ${RULE};border-radius:6px;background:#fafafa;">${frame.details
        .map(
          ([label, value], index) =>
            `<div style="padding:6px 0;${index > 0 ? `border-top:1px solid ${RULE};` : ''}font-size:15px;line-height:22px;color:${INK};"><span style="color:${MUTED};">${escapeHtml(label)}:</span> ${value}</div>`,
        )
        .join('\n')}</div>`
    : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light"><title>${escapeHtml(frame.heading)}</title></head>`,
    '<body style="margin:0;padding:0;background:#f5f6f7;">',
    `<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${escapeHtml(frame.preheader)}</div>`,
    `<table role="presentation" cellspacing="0" cellpadding="0" border="0" width="100%" style="background:#f5f6f7;"><tr><td align="center" style="padding:32px 16px;">`,
    `<table role="presentation" cellspacing="0" cellpadding="0" border="0" width="100%" style="max-width:560px;font-family:${FONT};">`,
    `<tr><td style="padding:0 0 16px;font-size:14px;font-weight:700;letter-spacing:0.02em;color:${BRAND};">${escapeHtml(frame.productName)}</td></tr>`,
    `<tr><td style="background:#ffffff;border:1px solid ${RULE};border-radius:8px;padding:32px;">`,
    `<h1 style="margin:0 0 16px;font-size:22px;line-height:30px;font-weight:700;color:${INK};">${escapeHtml(frame.heading)}</h1>`,
    ...frame.intro.map(paragraph),
    details,
    button,
    ...(frame.outro ?? []).map(paragraph),
    '</td></tr>',
    `<tr><td style="padding:16px 8px 0;font-size:12px;line-height:18px;color:${MUTED};">${frame.footer}</td></tr>`,
    '</table>',
    '</td></tr></table>',
    '</body>',
    '</html>',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

/** "January 8, 2030 at 12:00 UTC": unambiguous for every reader, whatever their locale. */
export function formatExpiry(ms: number): string {
  const date = new Date(ms);
  const day = date.toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `${day} at ${time} UTC`;
}
