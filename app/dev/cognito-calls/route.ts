import { NextResponse } from 'next/server';
import { cognitoCallCounts } from '@/server/cognito/call-count';
import { getEnv } from '@/server/env';
import { LOOPBACK_CLIENT_HEADER } from '@/server/http/admission';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * This process's Cognito calls per operation since it started (every attempt, SDK retries included),
 * for `npm run bench:console`. Off (404) unless COGNITO_CALL_STATS=1, and like everything under /dev
 * only for this machine, in local mode. It makes no Cognito call itself.
 */
export async function GET(request: Request) {
  const env = getEnv();
  // The loopback mark comes from `npm start`'s listener, which local mode always runs behind.
  const local = env.identityBackend === 'local' && request.headers.get(LOOPBACK_CLIENT_HEADER) === '1';
  if (!env.cognitoCallStats || !local) {
    return new NextResponse(null, { status: 404 });
  }
  return NextResponse.json({ calls: cognitoCallCounts() }, { headers: { 'Cache-Control': 'no-store' } });
}
