import 'server-only';
import nodemailer from 'nodemailer';
import type { Mailer } from './types';

export interface SmtpOptions {
  /** smtp://[user:pass@]host[:port] or smtps://...; nodemailer reads options from the query string too. */
  smtpUrl: string;
  from: string;
}

export interface SmtpMailer extends Mailer {
  close(): void;
}

/** Sends through an SMTP server; a refused or unreachable server rejects `send`. */
export function createSmtpMailer({ smtpUrl, from }: SmtpOptions): SmtpMailer {
  const transport = nodemailer.createTransport(
    { url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from },
  );
  return {
    async send(message) {
      await transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        ...(message.kind === undefined ? {} : { headers: { 'X-Studio-Mail-Kind': message.kind } }),
      });
    },
    close() {
      transport.close();
    },
  };
}
