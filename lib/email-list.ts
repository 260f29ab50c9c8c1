import { z } from './zod';

// Reading a typed or pasted list of addresses, in time linear in its length: this runs on the server
// for every invite and in the browser on every keystroke, so no input may make it backtrack.
// (nodemailer's addressparser is linear too, but it reads `ana@x.com bo@y.com` as a name and one
// address, and would add 16.5 KB gzip to the invite dialog.)

// RFC 5321 §4.5.3.1: a path is at most 256 octets (254 for the address), a local part at most 64.
const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;

// zod's pattern has no ambiguous nested repetition (each repeated group ends at a `.` its class
// excludes); the length check comes first anyway, so it never sees more than 254 characters.
const emailPattern = z.email();

/** Whether `value` is an email address the invite form accepts (already trimmed and lower-cased). */
export function isEmailAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (value.length > MAX_ADDRESS_LENGTH || at < 0 || at > MAX_LOCAL_PART_LENGTH) return false;
  return emailPattern.safeParse(value).success;
}

/**
 * Splits what someone typed or pasted into email addresses: separated by commas, semicolons, spaces,
 * tabs or new lines; `Name <address>` keeps the address. Addresses come back trimmed, lower-cased and
 * once each, in the order given; what is not an address comes back in `invalid`, as typed. A pasted
 * spreadsheet row (tab-separated cells) may carry names beside the address: cells without an `@` in
 * such a row are skipped rather than reported.
 */
export function parseEmailList(raw: string): { emails: string[]; invalid: string[] } {
  const emails: string[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  // Each split is one pass: a single alternation of literals, or one character class repeated.
  for (const line of raw.split(/\r\n|\r|\n/)) {
    const cells = line.split('\t');
    const spreadsheetRow = cells.length > 1 && cells.some((cell) => cell.includes('@'));
    for (const cell of cells) {
      if (spreadsheetRow && !cell.includes('@')) continue;
      for (const token of unwrapMailboxes(cell).split(/[\s,;]+/)) {
        const candidate = token.replace(/^mailto:/i, '').trim();
        if (candidate === '') continue;
        const email = candidate.toLowerCase();
        if (seen.has(email)) continue;
        seen.add(email);
        if (isEmailAddress(email)) emails.push(email);
        else invalid.push(candidate);
      }
    }
  }
  return { emails, invalid };
}

const isSeparator = (char: string) => char === ',' || char === ';' || /\s/.test(char);
const isBlank = (char: string | undefined) => char === ' ' || char === '\t';
/** A character of an unquoted name word: not a separator, quote, angle bracket or `@`. */
const isWordChar = (char: string) =>
  !isSeparator(char) && char !== '"' && char !== '<' && char !== '>' && char !== '@';

/**
 * Replaces each mailbox `Name <address>` or `"Last, First" <address>` in `text` by ` address ` (the
 * name may be empty, and must start the text or follow a comma, semicolon or white space; its words
 * are quoted strings or runs without separators, quotes, angle brackets or `@`, with spaces or tabs
 * between them). What is not part of a mailbox is kept as it is.
 *
 * Each position's name is read once, right to left: where the name starting at `i` ends depends only
 * on where the name after its first word ends, so the whole text costs one pass per table.
 */
function unwrapMailboxes(text: string): string {
  const n = text.length;
  if (!text.includes('<')) return text;
  // nextQuote[i]: the first `"` at or after i (n if none). nextAngle[i]: the first `<` or `>` at or
  // after i. pastBlanks[i]: the first position at or after i that is not a space or tab.
  // nameEnd[i]: where a name whose first word starts at i stops (i itself when no word starts there).
  const nextQuote = new Int32Array(n + 1).fill(n);
  const nextAngle = new Int32Array(n + 1).fill(n);
  const pastBlanks = new Int32Array(n + 1).fill(n);
  const wordEnd = new Int32Array(n + 1).fill(n);
  const nameEnd = new Int32Array(n + 1).fill(n);
  for (let i = n - 1; i >= 0; i--) {
    const char = text[i]!;
    nextQuote[i] = char === '"' ? i : nextQuote[i + 1]!;
    nextAngle[i] = char === '<' || char === '>' ? i : nextAngle[i + 1]!;
    pastBlanks[i] = isBlank(char) ? pastBlanks[i + 1]! : i;
    wordEnd[i] = isWordChar(char) ? wordEnd[i + 1]! : i;
  }
  for (let i = n - 1; i >= 0; i--) {
    const char = text[i]!;
    let after = -1;
    if (char === '"') {
      const close = nextQuote[i + 1]!;
      if (close < n) after = pastBlanks[close + 1]!;
    } else if (isWordChar(char)) {
      after = pastBlanks[wordEnd[i]!]!;
    }
    nameEnd[i] = after < 0 ? i : after < n ? nameEnd[after]! : n;
  }
  /** The end of the mailbox whose name starts at `start` (just past its `>`), or -1 if none does. */
  const mailboxEnd = (start: number) => {
    const open = start < n ? nameEnd[start]! : n;
    if (text[open] !== '<') return -1;
    const close = nextAngle[open + 1]!;
    return text[close] === '>' ? close + 1 : -1;
  };

  let out = '';
  let copied = 0;
  for (let i = 0; i < n; ) {
    // A mailbox may start the text (the name from 0), or follow a separator (the name after it).
    let start = i === 0 ? 0 : -1;
    let end = start === 0 ? mailboxEnd(0) : -1;
    if (end < 0 && isSeparator(text[i]!)) {
      start = i + 1;
      end = mailboxEnd(start);
    }
    if (end < 0) {
      i++;
      continue;
    }
    const open = nameEnd[start]!;
    out += `${text.slice(copied, start)} ${text.slice(open + 1, end - 1)} `;
    copied = end;
    i = end;
  }
  return out + text.slice(copied);
}
