import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from './types';

// Amazon SES (API v2) mailer for AWS mode: the sign-in triggers in Lambda and the console. Imports
// nothing server-only, so a Lambda bundle can include it. The client comes configured (region,
// credentials, AWS_ENDPOINT_URL_SESV2); `from` must be an identity SES may send from.

export interface SesMailerOptions {
  client: SESv2Client;
  /** The sender, e.g. "Studio <no-reply@example.com>"; its address or domain verified in SES. */
  from: string;
}

const CHARSET = 'UTF-8';

/** Sends each message with SendEmail (Simple content); a refused or failed send rejects `send`. */
export function createSesMailer({ client, from }: SesMailerOptions): Mailer {
  return {
    async send(message) {
      const command = new SendEmailCommand({
        FromEmailAddress: from,
        Destination: { ToAddresses: [message.to] },
        Content: {
          Simple: {
            Subject: { Data: message.subject, Charset: CHARSET },
            Body: {
              Text: { Data: message.text, Charset: CHARSET },
              ...(message.html === undefined ? {} : { Html: { Data: message.html, Charset: CHARSET } }),
            },
            ...(message.kind === undefined
              ? {}
              : { Headers: [{ Name: 'X-Studio-Mail-Kind', Value: message.kind }] }),
          },
        },
      });
      try {
        await client.send(command);
      } catch (error) {
        const reason =
          error instanceof Error ? `${error.name}: ${error.message}` : `unexpected failure ${String(error)}`;
        throw new Error(
          `SES did not send the ${message.kind ?? 'mail'} to ${message.to} from ${from}: ${reason}`,
          {
            cause: error,
          },
        );
      }
    },
  };
}
