import { describe, expect, it } from 'vitest';
import { inviteUrl, renderInvitationEmail } from './invitation';
import { escapeHtml, formatExpiry } from './layout';
import { renderSignInLinkEmail } from './sign-in-link';

const EXPIRES = Date.UTC(2030, 0, 1, 12, 15);

describe('sign-in link email', () => {
  const email = renderSignInLinkEmail({
    productName: 'Studio Access',
    email: "o'neil+dev@example.com",
    url: 'https://studio.example.com/auth/link#secret_123',
    expiresAt: EXPIRES,
    ttlMinutes: 15,
  });

  it('has a subject, a plain-text body and an HTML body with the link', () => {
    expect(email.subject).toBe('Your sign-in link for Studio Access');
    expect(email.text).toContain('https://studio.example.com/auth/link#secret_123');
    expect(email.text).toContain("as o'neil+dev@example.com");
    expect(email.text).toContain('within 15 minutes (until January 1, 2030 at 12:15 UTC)');
    expect(email.html).toContain('<!DOCTYPE html>');
    expect(email.html).toContain('href="https://studio.example.com/auth/link#secret_123"');
    expect(email.html).toContain('o&#39;neil+dev@example.com');
  });
});

describe('invitation email', () => {
  it('keeps the Cognito placeholders in both bodies', () => {
    const email = renderInvitationEmail({
      productName: 'Studio Access',
      publicUrl: 'https://studio.example.com/',
      invitedBy: 'carol@example.com',
      accessLevel: { label: 'Full access', description: 'Create and manage AWS resources.' },
      email: 'bob@example.com',
      expiresAt: EXPIRES,
    });
    for (const body of [email.text, email.html]) {
      expect(body).toContain('{username}');
      expect(body).toContain('{####}');
      expect(body).toContain('Full access');
      expect(body).toContain('January 1, 2030 at 12:15 UTC');
    }
    expect(email.text).toContain(
      'Accept the invitation: https://studio.example.com/invite?email=bob%40example.com',
    );
  });

  it('links to /invite on PUBLIC_URL', () => {
    expect(inviteUrl('https://studio.example.com')).toBe('https://studio.example.com/invite');
  });
});

describe('layout helpers', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('formats expiry in UTC with a 24-hour clock', () => {
    expect(formatExpiry(Date.UTC(2030, 6, 4, 23, 5))).toBe('July 4, 2030 at 23:05 UTC');
  });
});
