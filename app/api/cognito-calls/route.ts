import { NextResponse } from 'next/server';
import { cognitoCallCounts } from '@/server/cognito/call-count';
import { getEnv } from '@/server/env';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

/**
 * This process's Cognito calls per operation since it started (every attempt, SDK retries included),
 * for `npm run bench:console`. Off (404) unless COGNITO_CALL_STATS=1. It makes no Cognito call itself.
 */
export async function GET() {
  if (!getEnv().cognitoCallStats) return new NextResponse(null, { status: 404 });
  return NextResponse.json({ calls: cognitoCallCounts() }, { headers: { 'Cache-Control': 'no-store' } });
}
