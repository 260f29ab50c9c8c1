import { describe, expect, it } from 'vitest';
import { formatLastChange, totalText } from './format';

describe('formatLastChange', () => {
  const invited = '2026-03-04T09:15:00.000Z';

  it('is absent when nothing changed after the invitation', () => {
    expect(formatLastChange(invited, invited)).toBeUndefined();
    // The invitation's own writes (group, console records) land within seconds of it.
    expect(formatLastChange(invited, '2026-03-04T09:15:02.000Z')).toBeUndefined();
  });

  it('gives the time of day for a change on the day of the invitation', () => {
    expect(formatLastChange(invited, '2026-03-04T14:32:10.000Z')).toBe('14:32 UTC');
  });

  it('gives the day for a change on a later day', () => {
    expect(formatLastChange(invited, '2026-03-09T08:00:00.000Z')).toBe('9 Mar 2026');
  });
});

describe('totalText', () => {
  it('counts exactly, or says "about" with two significant digits for an estimate', () => {
    expect(totalText({ count: 12, exact: true, filtered: false })).toBe('12 members');
    expect(totalText({ count: 1, exact: true, filtered: false })).toBe('1 member');
    expect(totalText({ count: 50_123, exact: false, filtered: false })).toBe('about 50,000 members');
    expect(totalText({ count: 143, exact: false, filtered: false })).toBe('about 140 members');
    expect(totalText({ count: 5, exact: true, filtered: true })).toBe('5 matching');
  });
});
