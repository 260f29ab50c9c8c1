import { NextResponse } from 'next/server';
import { cognitoCallCounts } from '@/server/cognito/call-count';
import { getEnv } from '@/server/env';
import { LOOPBACK_CLIENT_HEADER } from '@/server/http/admission';
import { isCognitoCallStatsServed } from '@/server/runtime';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * This process's Cognito calls per operation since it started (every attempt, SDK retries included),
 * for `npm run bench:console`. Off (404) unless COGNITO_CALL_STATS=1, and like everything under /dev
 * only for this machine, in local mode. It makes no Cognito call itself.
 */
export async function GET(request: Request) {
  const env = getEnv();
  if (!isCognitoCallStatsServed(env, request.headers.get(LOOPBACK_CLIENT_HEADER) === '1')) {
    return new NextResponse(null, { status: 404 });
  }
  return NextResponse.json({ calls: cognitoCallCounts() }, { headers: { 'Cache-Control': 'no-store' } });
}
