import { NextResponse } from 'next/server';
import { checkIdentityBackend } from '@/server/cognito/client';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const noStore = { 'Cache-Control': 'no-store' };

/**
 * 200 {"status":"ok"} only when the identity backend answers for our pool; 503
 * {"status":"unavailable"} otherwise. Anyone may call it, so why goes to the log, not the answer.
 */
export async function GET() {
  const health = await checkIdentityBackend();
  if (health.ok) return NextResponse.json({ status: 'ok' }, { headers: noStore });
  console.warn(`health: identity backend unavailable: ${health.reason}`);
  return NextResponse.json({ status: 'unavailable' }, { status: 503, headers: noStore });
}
