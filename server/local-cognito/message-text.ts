// An invitation message as mail: is it HTML, and its plain-text part. Both in time linear in the
// message (up to 20,000 characters), whatever it holds: a tag pattern run over text with many `<`
// and no `>` after them would scan to the end from each one.

/** True when the message holds an HTML tag: `<` and a letter, with a `>` somewhere after. */
export function looksLikeHtml(message: string): boolean {
  const open = message.search(/<[a-z]/i);
  return open >= 0 && message.indexOf('>', open + 2) >= 0;
}

/**
 * `pattern` (which must end with `>`) replaced in `text`, run only over the part up to the last `>`:
 * past it no match can end, and before it every scan stops at the next `>`.
 */
function replaceTags(text: string, pattern: RegExp, replacement: string): string {
  const end = text.lastIndexOf('>') + 1;
  return text.slice(0, end).replace(pattern, replacement) + text.slice(end);
}

/** The plain-text part of an HTML message: line breaks for block ends, no tags, entities decoded. */
export function htmlToText(html: string): string {
  const broken = replaceTags(html, /<(br|\/p|\/div|\/h[1-6]|\/li|\/tr)\b[^>]*>/gi, '\n');
  return replaceTags(broken, /<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
