import 'server-only';
import nodemailer from 'nodemailer';
import type { Mailer } from './types';

export interface SmtpTimeouts {
  /** To open the TCP connection. */
  connectionMs: number;
  /** From connecting to the server's 220 greeting. */
  greetingMs: number;
  /** Silence on the connection at any later point (an unanswered MAIL FROM, RCPT TO, DATA, ...). */
  socketMs: number;
  /** The whole message, however the server spreads its answers. */
  sendMs: number;
}

/**
 * A server that takes the connection and never answers fails the mail within these bounds. The
 * embedded identity service sends invitations inside AdminCreateUser, and the console's Cognito
 * client gives up on a request after COGNITO_REQUEST_TIMEOUT_MS (15 s) and would retry it: a send
 * must be over well before.
 */
export const SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionMs: 5_000,
  greetingMs: 5_000,
  socketMs: 5_000,
  sendMs: 10_000,
};

export interface SmtpOptions {
  /** smtp://[user:pass@]host[:port] or smtps://...; nodemailer reads options from the query string too. */
  smtpUrl: string;
  from: string;
  timeouts?: SmtpTimeouts;
}

export interface SmtpMailer extends Mailer {
  close(): void;
}

/** Sends through an SMTP server; a refused, unreachable or silent server rejects `send`. */
export function createSmtpMailer({ smtpUrl, from, timeouts = SMTP_TIMEOUTS }: SmtpOptions): SmtpMailer {
  const transport = nodemailer.createTransport(
    {
      url: smtpUrl,
      connectionTimeout: timeouts.connectionMs,
      greetingTimeout: timeouts.greetingMs,
      socketTimeout: timeouts.socketMs,
    },
    { from },
  );
  return {
    async send(message) {
      const sending = transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        ...(message.kind === undefined ? {} : { headers: { 'X-Studio-Mail-Kind': message.kind } }),
      });
      // Past the deadline the attempt ends on its own (socket timeout); its outcome no longer matters.
      sending.catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the SMTP server did not take the message within ${timeouts.sendMs} ms`)),
          timeouts.sendMs,
        );
      });
      try {
        await Promise.race([sending, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      transport.close();
    },
  };
}
