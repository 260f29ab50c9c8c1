// The mailer port: everything that sends mail (the embedded identity service, the sign-in triggers,
// the console) goes through this one shape. Implementations: SMTP, outbox (embedded), SES (AWS).

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain-text body; always present so every client can show something. */
  text: string;
  html?: string;
  /** Free-form tag for logs and the outbox view, e.g. "invitation", "sign-in-link". */
  kind?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
