import 'server-only';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ensurePrivateTree, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '@/server/storage/file-modes';
import type { Mailer, MailMessage } from './types';

// The outbox: mail that would have been sent, one JSON file per message in DATA_DIR/outbox/. Used
// when no SMTP server is configured; /dev/outbox and the tests read it back. Messages carry sign-in
// links and temporary passwords: the directory is 0700 and each message 0600.

export const OUTBOX_DIRNAME = 'outbox';

export type OutboxMessage = MailMessage & { id: string; from: string; createdAt: string };

const outboxMessageSchema = z.object({
  id: z.string(),
  from: z.string(),
  createdAt: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  kind: z.string().optional(),
});

export interface OutboxOptions {
  dataDir: string;
  from: string;
  log?: (line: string) => void;
  now?: () => number;
}

export function outboxDir(dataDir: string): string {
  return path.join(dataDir, OUTBOX_DIRNAME);
}

export function createOutboxMailer({
  dataDir,
  from,
  log = console.log,
  now = Date.now,
}: OutboxOptions): Mailer {
  const dir = outboxDir(dataDir);
  // Checked once, when the mailer is made at start: an older version left 0755 / 0644 here.
  ensurePrivateTree(dir, log);
  return {
    async send(message) {
      const createdAt = now();
      // Zero-padded time first: file names sort in the order the messages were written.
      const id = `${String(createdAt).padStart(13, '0')}-${randomBytes(6).toString('hex')}`;
      const stored: OutboxMessage = {
        id,
        from,
        createdAt: new Date(createdAt).toISOString(),
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html === undefined ? {} : { html: message.html }),
        ...(message.kind === undefined ? {} : { kind: message.kind }),
      };
      const file = path.join(dir, `${id}.json`);
      const temp = path.join(dir, `.${id}.json.tmp`);
      // The first message creates the directory (0700 whatever the umask).
      if (await fs.promises.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE })) {
        await fs.promises.chmod(dir, PRIVATE_DIR_MODE);
      }
      // Written aside, then renamed: a reader never sees half a message.
      await fs.promises.writeFile(temp, `${JSON.stringify(stored, null, 2)}\n`, {
        flag: 'wx',
        mode: PRIVATE_FILE_MODE,
      });
      await fs.promises.chmod(temp, PRIVATE_FILE_MODE);
      await fs.promises.rename(temp, file);
      log(`mail to ${message.to}: ${message.subject} (outbox: ${file})`);
    },
  };
}

/** Every message in the outbox, newest first. Files that are not outbox messages are skipped. */
export function readOutbox(dataDir: string): OutboxMessage[] {
  const dir = outboxDir(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const messages: OutboxMessage[] = [];
  for (const name of names) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch {
      continue;
    }
    const result = outboxMessageSchema.safeParse(parsed);
    if (result.success) messages.push(result.data);
  }
  return messages.sort((a, b) =>
    a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt),
  );
}
