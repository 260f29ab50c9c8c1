import { NextResponse } from 'next/server';
import { cognitoCallCounts } from '@/server/cognito/call-count';
import { getEnv } from '@/server/env';
import { LOOPBACK_CLIENT_HEADER } from '@/server/http/admission';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * This process's Cognito calls per operation since it started (every attempt, SDK retries included),
 * for `npm run bench:console`. Off (404) unless COGNITO_CALL_STATS=1, and like everything under /dev
 * only for this machine. It makes no Cognito call itself.
 */
export async function GET(request: Request) {
  if (!getEnv().cognitoCallStats || request.headers.get(LOOPBACK_CLIENT_HEADER) !== '1') {
    return new NextResponse(null, { status: 404 });
  }
  return NextResponse.json({ calls: cognitoCallCounts() }, { headers: { 'Cache-Control': 'no-store' } });
}
