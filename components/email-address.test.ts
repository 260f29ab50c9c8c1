import { describe, expect, it } from 'vitest';
import { breakPoints } from './email-address';

describe('breakPoints', () => {
  it('splits after each "@" and "." and nowhere else', () => {
    expect(breakPoints('admin@example.com')).toEqual(['admin@', 'example.', 'com']);
    expect(breakPoints('first.last-name@mail.example.co')).toEqual([
      'first.',
      'last-name@',
      'mail.',
      'example.',
      'co',
    ]);
    expect(breakPoints('no-break-here')).toEqual(['no-break-here']);
    // A trailing "." leaves no empty part behind.
    expect(breakPoints('ends.')).toEqual(['ends.']);
    expect(breakPoints('')).toEqual(['']);
  });

  it('keeps every character, in order', () => {
    const text = 'admin@example.com invited you to Studio Access.';
    expect(breakPoints(text).join('')).toBe(text);
  });
});
