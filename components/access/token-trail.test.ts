import { describe, expect, it } from 'vitest';
import { MAX_TRAIL, readTrail, trailLinks } from './token-trail';

function follow(query: string) {
  const params = new URLSearchParams(query);
  return { current: params.get('page') ?? undefined, trail: readTrail(params.getAll('back')) };
}

describe('trailLinks', () => {
  it('walks forward three pages and back to the first, keeping the filters', () => {
    const base = { q: 'ann', level: 'full', status: undefined };
    const tokens = ['t2', 't3', undefined];
    let at = { current: undefined as string | undefined, trail: [] as string[] };
    const seen: number[] = [];
    for (const next of tokens) {
      const links = trailLinks({ base, tokenParam: 'page', ...at, next });
      seen.push(links.pageNumber ?? -1);
      if (!links.next) break;
      expect(new URLSearchParams(links.next).get('q')).toBe('ann');
      at = follow(links.next);
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(at).toEqual({ current: 't3', trail: ['', 't2'] });

    const back1 = trailLinks({ base, tokenParam: 'page', ...at, next: undefined }).previous;
    expect(back1).toBe('q=ann&level=full&page=t2&back=');
    const back2 = trailLinks({ base, tokenParam: 'page', ...follow(back1 ?? ''), next: 't3' }).previous;
    expect(back2).toBe('q=ann&level=full');
    expect(trailLinks({ base, tokenParam: 'page', current: undefined, trail: [], next: 't2' }).previous).toBe(
      undefined,
    );
  });

  it('keeps at most MAX_TRAIL tokens and then goes back to the first page without a number', () => {
    const trail = Array.from({ length: MAX_TRAIL }, (_, i) => (i === 0 ? '' : `t${i}`));
    const links = trailLinks({ base: {}, tokenParam: 'page', current: 'tx', trail, next: 'ty' });
    const after = follow(links.next ?? '');
    expect(after.trail).toHaveLength(MAX_TRAIL);
    expect(after.trail[0]).toBe('t1');
    expect(
      trailLinks({ base: {}, tokenParam: 'page', ...after, next: undefined }).pageNumber,
    ).toBeUndefined();
    const shared = trailLinks({ base: {}, tokenParam: 'page', current: 'tz', trail: [], next: undefined });
    expect(shared.previous).toBe('');
  });

  it('drops tokens with white space or of absurd length', () => {
    expect(readTrail(['', 'ok', 'not ok', 'x'.repeat(5000)])).toEqual(['', 'ok']);
    expect(readTrail('single')).toEqual(['single']);
    expect(readTrail(undefined)).toEqual([]);
  });
});
