// Invitations through real SMTP servers that fail the way mail servers do: one refuses the message,
// one takes the connection and never says a word, one greets and then goes quiet. The console's SMTP
// mailer (nodemailer, as SMTP_URL configures it) sends the invitation from inside AdminCreateUser of
// the embedded identity service; the invite must end within a bounded time with "Invite email failed",
// the member must exist with their level, and Resend invite must work once the mail server is back.
import net from 'node:net';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberStatusText } from '@/lib/members';
import { COGNITO_REQUEST_TIMEOUT_MS } from '@/server/cognito/client';
import { createSmtpMailer, SMTP_TIMEOUTS, type SmtpMailer, type SmtpTimeouts } from '@/server/mail/smtp';
import type { MailMessage } from '@/server/mail/types';
import { listMemberPage } from './list';
import { inviteMembers, resendInvites } from './service';
import { groupsOf, type MembersFixture, startMembersFixture } from './test-fixture';

interface Server {
  url: string;
  close(): Promise<void>;
}

const servers: Server[] = [];

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

async function smtpServer(options: SMTPServerOptions): Promise<Server & { received: string[] }> {
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as net.AddressInfo;
  const handle = {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(handle);
  return handle;
}

/** Accepts TCP connections and never sends a byte: not even the 220 greeting. */
async function silentServer(): Promise<Server> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const handle = {
    url: `smtp://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

// Short bounds for the servers that go quiet, so the suite stays quick; one test uses the shipped ones.
const QUICK: SmtpTimeouts = { connectionMs: 1_000, greetingMs: 400, socketMs: 400, sendMs: 1_500 };

let fx: MembersFixture;
let mailer: SmtpMailer | undefined;
const through = { send: (message: MailMessage) => mailer!.send(message) };
let working: Awaited<ReturnType<typeof smtpServer>>;

function sendThrough(server: Server, timeouts: SmtpTimeouts = QUICK) {
  mailer?.close();
  mailer = createSmtpMailer({ smtpUrl: server.url, from: 'Studio <studio@example.com>', timeouts });
}

beforeAll(async () => {
  fx = await startMembersFixture({ mailer: through });
  working = await smtpServer({});
});

afterAll(async () => {
  mailer?.close();
  await fx?.close();
  await Promise.all(servers.map((server) => server.close()));
});

async function inviteThroughFailingServer(email: string) {
  const pool = await fx.newPool();
  const started = performance.now();
  const [result] = await inviteMembers(pool.admin, [email], 'full', pool.context);
  const elapsed = performance.now() - started;

  expect(result).toMatchObject({ email, outcome: 'failed' });
  expect(result?.message).toMatch(/invitation email could not be sent.*Resend invite/);
  // The member exists, with the level they were invited at, shown as "Invite email failed".
  const found = await fx.client.send(
    new ListUsersCommand({ UserPoolId: pool.poolId, Filter: `email = "${email}"` }),
  );
  const username = found.Users?.[0]?.Username;
  expect(username).toBeDefined();
  expect(await groupsOf(fx.client, pool.poolId, username!)).toEqual(['Full-access']);
  const page = await listMemberPage(pool.admin, { q: email, size: 10 }, pool.context);
  expect(page.members.map((row) => [row.email, memberStatusText(row)])).toEqual([
    [email, 'Invite email failed'],
  ]);

  // Mail is back: Resend invite delivers it, and the row is Pending again.
  sendThrough(working);
  const [resent] = await resendInvites(pool.admin, [username!], pool.context);
  expect(resent).toMatchObject({ email, outcome: 'resent' });
  const delivered = working.received.filter((raw) => raw.includes(`To: ${email}`));
  expect(delivered).toHaveLength(1);
  expect(delivered[0]).toContain('X-Studio-Mail-Kind: invitation');
  const after = await listMemberPage(pool.admin, { q: email, size: 10 }, pool.context);
  expect(after.members.map((row) => memberStatusText(row))).toEqual(['Pending']);
  return elapsed;
}

describe('an invitation through a failing SMTP server', () => {
  it('refused at RCPT TO (550): "Invite email failed", and Resend invite works once mail is back', async () => {
    sendThrough(
      await smtpServer({
        onRcptTo: (_address, _session, callback) => callback(smtpError(550, '5.1.1 Mailbox unavailable')),
      }),
    );
    await inviteThroughFailingServer('refused-rcpt@example.com');
  });

  it('refused at MAIL FROM (421, service not available): the same', async () => {
    sendThrough(
      await smtpServer({
        onMailFrom: (_address, _session, callback) => callback(smtpError(421, '4.3.2 Try again later')),
      }),
    );
    await inviteThroughFailingServer('refused-mail@example.com');
  });

  it('that takes the connection and never answers (no greeting): fails after the greeting timeout', async () => {
    sendThrough(await silentServer());
    const elapsed = await inviteThroughFailingServer('silent@example.com');
    expect(elapsed).toBeGreaterThanOrEqual(QUICK.greetingMs);
  });

  it('that greets and then never answers RCPT TO: fails within the shipped bounds, before Cognito gives up', async () => {
    // The shipped timeouts end the send before the Cognito client's request timeout, so the SDK never
    // gives up on (and retries) an AdminCreateUser that is still sending.
    expect(SMTP_TIMEOUTS.sendMs).toBeLessThan(COGNITO_REQUEST_TIMEOUT_MS);
    sendThrough(await smtpServer({ onRcptTo: () => {} }), SMTP_TIMEOUTS);
    const elapsed = await inviteThroughFailingServer('stalled@example.com');
    expect(elapsed).toBeGreaterThanOrEqual(SMTP_TIMEOUTS.socketMs);
    expect(elapsed).toBeLessThan(COGNITO_REQUEST_TIMEOUT_MS);
  });
});
