import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import sesLocal from 'aws-ses-v2-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesMailer } from './ses';

interface StoredEmail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  headers?: Array<{ name: string; value: string }>;
}

// A real aws-ses-v2-local on a free loopback port; its mail is listed at GET /store.
let server: Server;
let endpoint: string;

function sesClient(url: string): SESv2Client {
  return new SESv2Client({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

async function storedEmails(): Promise<StoredEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { emails: StoredEmail[] }).emails;
}

beforeAll(async () => {
  server = await sesLocal({ host: '127.0.0.1', port: 0 });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createSesMailer', () => {
  it('delivers the subject, text and html from the sender to the recipient', async () => {
    const client = sesClient(endpoint);
    const mailer = createSesMailer({ client, from: 'Studio <no-reply@studio.example.com>' });
    await mailer.send({
      to: 'ada@example.com',
      subject: 'Sign in to Studio Access ✓',
      text: 'Open https://studio.example.com/signin/abc to sign in.',
      html: '<p>Open <a href="https://studio.example.com/signin/abc">this link</a>.</p>',
      kind: 'sign-in-link',
    });
    client.destroy();

    const mail = (await storedEmails()).find((email) => email.destination.to.includes('ada@example.com'));
    expect(mail).toBeDefined();
    expect(mail!.from).toBe('Studio <no-reply@studio.example.com>');
    expect(mail!.subject).toBe('Sign in to Studio Access ✓');
    expect(mail!.body.text).toBe('Open https://studio.example.com/signin/abc to sign in.');
    expect(mail!.body.html).toBe(
      '<p>Open <a href="https://studio.example.com/signin/abc">this link</a>.</p>',
    );
    expect(mail!.headers).toContainEqual({ name: 'X-Studio-Mail-Kind', value: 'sign-in-link' });
  });

  it('sends text-only mail without an html part', async () => {
    const client = sesClient(endpoint);
    await createSesMailer({ client, from: 'no-reply@studio.example.com' }).send({
      to: 'grace@example.com',
      subject: 'Plain',
      text: 'Just text.',
    });
    client.destroy();

    const mail = (await storedEmails()).find((email) => email.destination.to.includes('grace@example.com'));
    expect(mail?.body).toEqual({ text: 'Just text.' });
  });

  it('rejects with the recipient, the sender and the reason when SES refuses the message', async () => {
    const client = sesClient(endpoint);
    // aws-ses-v2-local refuses Simple content without a subject, as SES does.
    const sending = createSesMailer({ client, from: 'no-reply@studio.example.com' }).send({
      to: 'refused@example.com',
      subject: '',
      text: 'No subject.',
      kind: 'invitation',
    });
    await expect(sending).rejects.toThrow(
      /^SES did not send the invitation to refused@example\.com from no-reply@studio\.example\.com: .*Bad Request/,
    );
    client.destroy();
    expect((await storedEmails()).some((email) => email.destination.to.includes('refused@example.com'))).toBe(
      false,
    );
  });

  it('rejects with a clear error when SES cannot be reached', async () => {
    const closed = await sesLocal({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = sesClient(url);
    await expect(
      createSesMailer({ client, from: 'no-reply@studio.example.com' }).send({
        to: 'ada@example.com',
        subject: 'Hello',
        text: 'Hello.',
      }),
    ).rejects.toThrow(
      /^SES did not send the mail to ada@example\.com from no-reply@studio\.example\.com: .*ECONNREFUSED/,
    );
    client.destroy();
  });
});
