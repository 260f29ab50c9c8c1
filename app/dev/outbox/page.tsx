import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OutboxView } from '@/components/dev/outbox-view';
import { getEnv } from '@/server/env';
import { readOutbox } from '@/server/mail';
import { isOutboxPageServed } from '@/server/mail/outbox-page';

export const metadata: Metadata = { title: 'Outbox', robots: { index: false } };

export default async function OutboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const env = getEnv();
  if (!isOutboxPageServed(env)) notFound();
  const { id } = await searchParams;
  return (
    <OutboxView messages={readOutbox(env.dataDir)} selectedId={typeof id === 'string' ? id : undefined} />
  );
}
