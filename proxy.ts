import { type NextRequest, NextResponse } from 'next/server';
import { checkOrigin } from '@/server/auth/origin';
import { getEnv } from '@/server/env';

// Cross-site refusal for every state-changing request (server actions are POSTs to pages), with a
// 403 that says why, before Next.js's own Origin/Host check answers some of them with a bare 500 and
// lets those without Origin through. Authorization is not done here: every action also calls
// verifySameOrigin() and the data access layer.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function proxy(request: NextRequest) {
  if (SAFE_METHODS.has(request.method)) return NextResponse.next();
  const verdict = checkOrigin(request.headers.get('origin'), getEnv().publicUrl);
  if (verdict.allowed) return NextResponse.next();
  return new NextResponse(`${verdict.reason}\n`, {
    status: 403,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
