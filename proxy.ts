import { type NextRequest, NextResponse } from 'next/server';
import { checkOrigin } from '@/server/auth/origin';
import { getEnv } from '@/server/env';
import { isAllowedHost, isHealthCheck, isLocalOnlyPath } from '@/server/http/admission';
import { contentSecurityPolicy, NONCE_HEADER, newNonce } from '@/server/http/security-headers';

// Runs before every route but static files. It refuses a foreign Host (the start script's listener
// does too; this covers a console served by `next start` or a standalone server), refuses cross-site
// state-changing requests with a 403 that says why (before Next.js's own Origin/Host check answers
// some of them with a bare 500 and lets those without Origin through), and gives each page its CSP
// nonce. Authorization is not done here: every action also calls verifySameOrigin() and the data
// access layer.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function proxy(request: NextRequest) {
  const env = getEnv();
  if (!isAllowedHost(request.headers.get('host'), env) && !isHealthCheck(request.nextUrl.pathname)) {
    return refuse(
      421,
      `Refused: this server answers only as ${env.publicUrl}, and the request named another host. Open ${env.publicUrl}.`,
    );
  }
  // Local-only pages (the outbox) never answer in AWS mode, however the console is served.
  if (env.identityBackend !== 'local' && isLocalOnlyPath(request.nextUrl.pathname)) {
    return new NextResponse('Not found\n', {
      status: 404,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
  if (!SAFE_METHODS.has(request.method)) {
    const verdict = checkOrigin(request.headers.get('origin'), env.publicUrl);
    if (!verdict.allowed) return refuse(403, verdict.reason);
  }

  const nonce = newNonce();
  const policy = contentSecurityPolicy(nonce, { dev: !env.isProduction });
  const requestHeaders = new Headers(request.headers);
  // Next.js reads the nonce for its own scripts from the request's policy.
  requestHeaders.set('Content-Security-Policy', policy);
  requestHeaders.set(NONCE_HEADER, nonce);
  // PUBLIC_URL is the console's address, whatever a client or proxy put in forwarded headers.
  const publicUrl = new URL(env.publicUrl);
  requestHeaders.set('x-forwarded-host', publicUrl.host);
  requestHeaders.set('x-forwarded-proto', publicUrl.protocol.replace(':', ''));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

function refuse(status: number, reason: string) {
  return new NextResponse(`${reason}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
