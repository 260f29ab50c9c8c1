import { describe, expect, it } from 'vitest';
import { htmlToText, looksLikeHtml } from './message-text';

// The patterns these replaced, as they were: right, but quadratic on many `<` with no `>` after them.
const oldLooksLikeHtml = (message: string) => /<[a-z][^>]*>/i.test(message);
const oldHtmlToText = (html: string) =>
  html
    .replace(/<(br|\/p|\/div|\/h[1-6]|\/li|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

describe('invitation message text', () => {
  it('reads every message as the old patterns did (10,000 random short messages)', () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pieces = ['<', '>', 'br', '/p', '/h2', 'b', ' ', '\n', '&amp;', '&lt;', 'x', '<p>', '</li>', '1'];
    for (let run = 0; run < 10_000; run++) {
      let message = '';
      const length = Math.floor(next() * 12);
      for (let i = 0; i < length; i++) message += pieces[Math.floor(next() * pieces.length)];
      expect(looksLikeHtml(message), JSON.stringify(message)).toBe(oldLooksLikeHtml(message));
      expect(htmlToText(message), JSON.stringify(message)).toBe(oldHtmlToText(message));
    }
  });

  it('handles 20,000 characters of unclosed tags (finishes; no timing asserted)', () => {
    const message = `<p>Hello {username}, your code is {####}</p>${'<a'.repeat(9_970)}`;
    expect(looksLikeHtml(message)).toBe(true);
    expect(htmlToText(message)).toBe(`Hello {username}, your code is {####}\n${'<a'.repeat(9_970)}`);
    expect(looksLikeHtml('<b'.repeat(10_000))).toBe(false);
    expect(htmlToText('<br'.repeat(6_000))).toBe('<br'.repeat(6_000));
  });
});
