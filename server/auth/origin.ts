// Cross-site request refusal for server actions. Next.js compares Origin with Host, which a
// non-browser client controls and which lets a request without Origin through; we compare with
// PUBLIC_URL and require the header.

export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

export function checkOrigin(origin: string | null | undefined, publicUrl: string): OriginVerdict {
  const expected = new URL(publicUrl).origin;
  if (origin === null || origin === undefined || origin === '') {
    return {
      allowed: false,
      reason: `Refused: the request has no Origin header. Use Studio Access at ${expected}.`,
    };
  }
  if (origin === 'null') {
    return {
      allowed: false,
      reason: `Refused: the request comes from an opaque origin ("null"). Use Studio Access at ${expected}.`,
    };
  }
  let actual: string;
  try {
    actual = new URL(origin).origin;
  } catch {
    return {
      allowed: false,
      reason: `Refused: the Origin header is not a valid origin. Use Studio Access at ${expected}.`,
    };
  }
  if (actual !== expected) {
    return {
      allowed: false,
      reason: `Refused: the request comes from ${actual}, another site than Studio Access at ${expected}.`,
    };
  }
  return { allowed: true };
}
