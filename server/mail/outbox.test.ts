import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMailer } from '@/server/runtime';
import { readOutbox } from './index';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'outbox-test-'));
}

describe('the outbox mailer', () => {
  it('is what createMailer gives without SMTP_URL: one file per message, read back newest first', async () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const mailer = createMailer(
      {
        identityBackend: 'local',
        awsRegion: 'us-east-1',
        dataDir,
        mailFrom: 'Studio <no-reply@localhost>',
        smtpUrl: undefined,
      },
      { log: (line) => lines.push(line) },
    );
    await mailer.send({
      to: 'ana@example.com',
      subject: 'Invitation',
      text: 'Hello Ana',
      kind: 'invitation',
    });
    await mailer.send({
      to: 'bo@example.com',
      subject: 'Sign in',
      text: 'Hello Bo',
      html: '<p>Hello Bo</p>',
    });

    const files = fs.readdirSync(path.join(dataDir, 'outbox'));
    expect(files).toHaveLength(2);
    expect(files.every((name) => name.endsWith('.json'))).toBe(true);

    const messages = readOutbox(dataDir);
    expect(messages.map((m) => m.to)).toEqual(['bo@example.com', 'ana@example.com']);
    expect(messages[1]).toMatchObject({
      from: 'Studio <no-reply@localhost>',
      to: 'ana@example.com',
      subject: 'Invitation',
      text: 'Hello Ana',
      kind: 'invitation',
    });
    expect(messages[1]?.html).toBeUndefined();
    expect(messages[0]?.html).toBe('<p>Hello Bo</p>');
    expect(new Date(messages[0]!.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(new Set(messages.map((m) => m.id)).size).toBe(2);

    const annaFile = path.join(dataDir, 'outbox', `${messages[1]!.id}.json`);
    expect(lines[0]).toBe(`mail to ana@example.com: Invitation (outbox: ${annaFile})`);
    expect(lines).toHaveLength(2);
  });

  it('keeps every message when many are sent at once, and leaves no partial files', async () => {
    const dataDir = tempDir();
    const mailer = createMailer(
      {
        identityBackend: 'local',
        awsRegion: 'us-east-1',
        dataDir,
        mailFrom: 'x@localhost',
        smtpUrl: undefined,
      },
      { log: () => {} },
    );
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        mailer.send({ to: `m${i}@example.com`, subject: `#${i}`, text: 'hi' }),
      ),
    );
    const messages = readOutbox(dataDir);
    expect(messages.map((m) => m.to).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `m${i}@example.com`).sort(),
    );
    expect(fs.readdirSync(path.join(dataDir, 'outbox')).filter((name) => !name.endsWith('.json'))).toEqual(
      [],
    );
  });

  it('reads an absent outbox as empty and skips files that are not messages', () => {
    const dataDir = tempDir();
    expect(readOutbox(dataDir)).toEqual([]);
    fs.mkdirSync(path.join(dataDir, 'outbox'));
    fs.writeFileSync(path.join(dataDir, 'outbox', 'broken.json'), '{"to":');
    fs.writeFileSync(path.join(dataDir, 'outbox', 'other.json'), '{"hello":"world"}');
    expect(readOutbox(dataDir)).toEqual([]);
  });
});
