import { NextResponse } from 'next/server';
import { checkIdentityBackend } from '@/server/cognito/client';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const noStore = { 'Cache-Control': 'no-store' };

/** 200 {"status":"ok"} only when the identity backend answers for our pool; 503 otherwise. */
export async function GET() {
  const health = await checkIdentityBackend();
  if (health.ok) return NextResponse.json({ status: 'ok' }, { headers: noStore });
  return NextResponse.json(
    { status: 'unavailable', identity: health.reason },
    { status: 503, headers: noStore },
  );
}
