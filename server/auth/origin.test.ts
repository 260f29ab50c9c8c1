import { describe, expect, it } from 'vitest';
import { checkOrigin } from './origin';

const PUBLIC_URL = 'https://studio.example.com';

describe('checkOrigin', () => {
  it("allows PUBLIC_URL's own origin", () => {
    expect(checkOrigin('https://studio.example.com', PUBLIC_URL)).toEqual({ allowed: true });
    expect(checkOrigin('https://studio.example.com:443', PUBLIC_URL)).toEqual({ allowed: true });
  });

  it('refuses a missing Origin', () => {
    for (const origin of [null, undefined, '']) {
      const verdict = checkOrigin(origin, PUBLIC_URL);
      expect(verdict.allowed).toBe(false);
      expect(!verdict.allowed && verdict.reason).toMatch(/no Origin header/);
    }
  });

  it('refuses the opaque origin "null"', () => {
    const verdict = checkOrigin('null', PUBLIC_URL);
    expect(!verdict.allowed && verdict.reason).toMatch(/opaque origin/);
  });

  it('refuses other sites, other schemes and other ports, naming both', () => {
    for (const origin of [
      'https://evil.example',
      'http://studio.example.com',
      'https://studio.example.com:8443',
    ]) {
      const verdict = checkOrigin(origin, PUBLIC_URL);
      expect(verdict.allowed).toBe(false);
      expect(!verdict.allowed && verdict.reason).toContain(`Studio Access at ${PUBLIC_URL}`);
    }
    expect(checkOrigin('not a url', PUBLIC_URL).allowed).toBe(false);
  });
});
