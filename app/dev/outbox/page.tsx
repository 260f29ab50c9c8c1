import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { OutboxView } from '@/components/dev/outbox-view';
import { getEnv } from '@/server/env';
import { LOOPBACK_CLIENT_HEADER } from '@/server/http/admission';
import { readOutbox } from '@/server/mail';
import { isOutboxPageServed } from '@/server/runtime';

export const metadata: Metadata = { title: 'Outbox', robots: { index: false } };

export default async function OutboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const env = getEnv();
  // Only in local mode, and only to this machine: the start script's listener refuses other clients
  // first and marks loopback ones (dropping any copy of the mark a client sent).
  if (!isOutboxPageServed(env)) notFound();
  if ((await headers()).get(LOOPBACK_CLIENT_HEADER) !== '1') notFound();
  const { id } = await searchParams;
  return (
    <OutboxView messages={readOutbox(env.dataDir)} selectedId={typeof id === 'string' ? id : undefined} />
  );
}
