import 'server-only';

export type { OutboxMessage } from './outbox';
export { outboxDir, readOutbox } from './outbox';
export type { Mailer, MailMessage } from './types';

// Which mailer a process uses is server/runtime.ts's choice (createMailer there).
