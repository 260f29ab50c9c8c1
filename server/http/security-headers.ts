// The response headers every page carries: a Content-Security-Policy whose scripts and style
// elements need this response's nonce (so an injected <script> runs nowhere), no framing (clickjacking),
// no MIME sniffing, and no Referer (a sign-in link's path must not leak to another site).

/** The request header proxy.ts sets: the root layout hands it to the components that render style elements. */
export const NONCE_HEADER = 'x-nonce';

/** Headers for every response, static files included (next.config.ts applies them). */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Frame-Options', value: 'DENY' },
];

/**
 * The policy for one page response. Development mode adds what Next's dev tooling needs (eval for
 * fast refresh, inline style elements, the live-reload socket); production needs neither.
 */
export function contentSecurityPolicy(nonce: string, { dev }: { dev: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Style elements (Amplify UI's theme) carry the nonce; style attributes (React style props) are allowed.
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}

/** 128 random bits, base64: a fresh one for every page response. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
