import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OutboxView } from '@/components/dev/outbox-view';
import { getEnv } from '@/server/env';
import { readOutbox } from '@/server/mail';

export const metadata: Metadata = { title: 'Outbox', robots: { index: false } };

// Local mode only: never with real Cognito, nor in production once real mail goes out.
export default async function OutboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const env = getEnv();
  if (env.identityBackend === 'aws' || (env.isProduction && env.smtpUrl)) notFound();
  const { id } = await searchParams;
  return (
    <OutboxView messages={readOutbox(env.dataDir)} selectedId={typeof id === 'string' ? id : undefined} />
  );
}
