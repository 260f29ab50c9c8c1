import type { Env } from '@/server/env';

/**
 * Whether /dev/outbox is served: only with the embedded identity service, and never in production
 * once real mail goes out through SMTP (the page shows every sign-in link in clear).
 */
export function isOutboxPageServed(env: Pick<Env, 'identityBackend' | 'isProduction' | 'smtpUrl'>): boolean {
  return env.identityBackend === 'local' && !(env.isProduction && env.smtpUrl);
}
