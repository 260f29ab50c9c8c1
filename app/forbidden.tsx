import type { Metadata } from 'next';
import { ForbiddenMessage } from '@/components/forbidden-message';
import { getEnv } from '@/server/env';

export const metadata: Metadata = { title: 'Not allowed' };

export default function Forbidden() {
  return <ForbiddenMessage publicUrl={getEnv().publicUrl} />;
}
