import 'server-only';
import type { Env } from '@/server/env';
import { createOutboxMailer } from './outbox';
import { createSmtpMailer } from './smtp';
import type { Mailer } from './types';

export type { OutboxMessage } from './outbox';
export { outboxDir, readOutbox } from './outbox';
export type { Mailer, MailMessage } from './types';

export interface MailerOptions {
  /** Where the outbox logs "mail to X: subject (outbox: path)"; console.log by default. */
  log?: (line: string) => void;
}

/** SMTP (nodemailer) when SMTP_URL is set; otherwise the outbox in DATA_DIR. */
export function createMailer(
  env: Pick<Env, 'smtpUrl' | 'mailFrom' | 'dataDir'>,
  options: MailerOptions = {},
): Mailer {
  if (env.smtpUrl) return createSmtpMailer({ smtpUrl: env.smtpUrl, from: env.mailFrom });
  return createOutboxMailer({ dataDir: env.dataDir, from: env.mailFrom, log: options.log });
}
