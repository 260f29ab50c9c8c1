import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer } from '@/server/runtime';
import { readOutbox } from './index';
import { createSmtpMailer } from './smtp';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

// A real SMTP server on a free loopback port that keeps what it receives.
async function startSink(): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        received.push({
          from: from ? from.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('the SMTP mailer', () => {
  it('is what createMailer gives with SMTP_URL, and delivers text and HTML to the server', async () => {
    const sink = await startSink();
    cleanups.push(sink.close);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-test-'));
    const mailer = createMailer({
      identityBackend: 'local',
      awsRegion: 'us-east-1',
      dataDir,
      mailFrom: 'Studio Access <studio@example.com>',
      smtpUrl: `smtp://127.0.0.1:${sink.port}`,
    });

    await mailer.send({
      to: 'ana@example.com',
      subject: 'You are invited to Studio Access',
      text: 'Your temporary password is in here.',
      html: '<p>Your temporary password is in here.</p>',
      kind: 'invitation',
    });

    expect(sink.received).toHaveLength(1);
    const [message] = sink.received;
    expect(message?.from).toBe('studio@example.com');
    expect(message?.to).toEqual(['ana@example.com']);
    expect(message?.raw).toContain('Subject: You are invited to Studio Access');
    expect(message?.raw).toContain('From: Studio Access <studio@example.com>');
    expect(message?.raw).toContain('Content-Type: text/plain');
    expect(message?.raw).toContain('Content-Type: text/html');
    expect(message?.raw).toContain('X-Studio-Mail-Kind: invitation');
    expect(readOutbox(dataDir)).toEqual([]);
  });

  it('rejects when the server cannot be reached', async () => {
    const sink = await startSink();
    await sink.close();
    const mailer = createMailer({
      identityBackend: 'local',
      awsRegion: 'us-east-1',
      dataDir: os.tmpdir(),
      mailFrom: 'studio@example.com',
      smtpUrl: `smtp://127.0.0.1:${sink.port}`,
    });
    await expect(mailer.send({ to: 'ana@example.com', subject: 's', text: 't' })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });

  it('gives up on a server that keeps the message past the send deadline, whatever its socket timeout', async () => {
    // The server answers the greeting and EHLO, then holds RCPT TO: silence shorter than a generous
    // socket timeout, longer than the deadline for the whole message.
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Closing drops the connection the mailer abandoned, rather than waiting for it.
      closeTimeout: 50,
      onRcptTo() {},
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    const mailer = createSmtpMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'studio@example.com',
      timeouts: { connectionMs: 5_000, greetingMs: 5_000, socketMs: 60_000, sendMs: 300 },
    });
    cleanups.push(async () => {
      mailer.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    await expect(mailer.send({ to: 'ana@example.com', subject: 's', text: 't' })).rejects.toThrow(
      'the SMTP server did not take the message within 300 ms',
    );
  });
});
