import { describe, expect, it } from 'vitest';
import { isEmailAddress, parseEmailList } from './email-list';

// The pattern this parser replaced: right on every input, but exponential on a long name-like run.
// Kept here as the reference on short inputs only, where its backtracking stays cheap.
const OLD_MAILBOX = /(^|[\s,;])(?:(?:"[^"]*"|[^\s,;<>"@]+)[ \t]*)*<([^<>]*)>/g;

function referenceParse(raw: string): { emails: string[]; invalid: string[] } {
  const emails: string[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const line of raw.split(/\r\n|\r|\n/)) {
    const cells = line.split('\t');
    const spreadsheetRow = cells.length > 1 && cells.some((cell) => cell.includes('@'));
    for (const cell of cells) {
      if (spreadsheetRow && !cell.includes('@')) continue;
      const unwrapped = cell.replace(
        OLD_MAILBOX,
        (_m, before: string, address: string) => `${before} ${address} `,
      );
      for (const token of unwrapped.split(/[\s,;]+/)) {
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

/** Deterministic pseudo-random numbers (mulberry32), so a failure names an input that can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('parseEmailList reads mailboxes as the pattern it replaced did', () => {
  it('gives the same addresses and rejects on 20,000 random short inputs of the characters that matter', () => {
    const next = random(7);
    const pieces = [
      'a',
      'b@c.io',
      'x@y.org',
      '@',
      '"',
      '<',
      '>',
      ' ',
      '\t',
      ',',
      ';',
      '\n',
      '\u00a0',
      'Bo',
      '.',
    ];
    for (let run = 0; run < 20_000; run++) {
      let input = '';
      const length = 1 + Math.floor(next() * 10);
      for (let i = 0; i < length; i++) input += pieces[Math.floor(next() * pieces.length)];
      expect(parseEmailList(input), JSON.stringify(input)).toEqual(referenceParse(input));
    }
  });

  it('keeps names with quotes, tabs and brackets in the places the old pattern allowed them', () => {
    for (const input of [
      '"a <b>" <ana@example.com>',
      'Ana\t"Lopez"  <ana@example.com>',
      'x"Bo" <bo@example.com>',
      '<ana@example.com><bo@example.com> <cy@example.com>',
      'ana@example.com<bo@example.com>',
      '"unclosed <ana@example.com>',
      'Ana <bo <cy@example.com>',
      'Ana <ana@example.com',
      'mailto:Ana@Example.com, MAILTO:bo@example.com',
    ]) {
      expect(parseEmailList(input), input).toEqual(referenceParse(input));
    }
  });
});

describe('parseEmailList on pathological input (finishes; timings in npm run bench:addresses)', () => {
  it('reports a 10,000-character local part as not an address', () => {
    const long = `${'a'.repeat(10_000)}@example.com`;
    expect(parseEmailList(long)).toEqual({ emails: [], invalid: [long] });
    expect(parseEmailList(`Ana ${'a'.repeat(10_000)} <ana@example.com>`).emails).toEqual(['ana@example.com']);
  });

  it('reads 500 addresses with 64-character local parts, named and bare', () => {
    const local = (i: number) => `${'b'.repeat(60)}${String(i).padStart(4, '0')}`;
    const bare = Array.from({ length: 500 }, (_, i) => `${local(i)}@example.com`);
    expect(parseEmailList(bare.join(', ')).emails).toEqual(bare);
    const named = bare.map((address, i) => `"${local(i)}, ${local(i)}" <${address}>`).join('; ');
    expect(parseEmailList(named)).toEqual({ emails: bare, invalid: [] });
  });

  it('copes with unbalanced quotes and angle brackets', () => {
    expect(parseEmailList('"'.repeat(50_000))).toEqual({ emails: [], invalid: ['"'.repeat(50_000)] });
    expect(parseEmailList('<'.repeat(50_000)).invalid).toHaveLength(1);
    expect(parseEmailList(`${'"a <'.repeat(20_000)}ana@example.com`).invalid.length).toBeGreaterThan(0);
    expect(parseEmailList(`${'a '.repeat(40_000)}<`).invalid).toEqual(['a', '<']);
    expect(parseEmailList(`${'a\t'.repeat(40_000)}<ana@example.com>`).emails).toEqual(['ana@example.com']);
    expect(parseEmailList(`${'Ana '.repeat(20_000)}<ana@example.com`).invalid).toEqual([
      'Ana',
      '<ana@example.com',
    ]);
  });
});

describe('isEmailAddress', () => {
  it('accepts ordinary addresses and refuses ones longer than SMTP allows', () => {
    expect(isEmailAddress('ana.lopez+studio@example.co.uk')).toBe(true);
    expect(isEmailAddress(`${'a'.repeat(64)}@example.com`)).toBe(true);
    expect(isEmailAddress(`${'a'.repeat(65)}@example.com`)).toBe(false);
    expect(
      isEmailAddress(`a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(70)}.com`),
    ).toBe(false);
    expect(isEmailAddress('not-an-email')).toBe(false);
  });
});
