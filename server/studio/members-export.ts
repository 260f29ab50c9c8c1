import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { type AccessLevel, accessLevels, strongestLevel } from '@/lib/access-levels';
import { memberStatuses } from '@/lib/members';
import { z } from '@/lib/zod';
import type { CognitoContext } from '@/server/cognito/client';
import { listAccessGroupRecords, listUserRecords, MAX_PAGE_SIZE } from '@/server/cognito/members';
import type { InviteStore } from '@/server/members/stores';
import { writePrivateFile } from '@/server/storage/file-modes';

// The team as a file: every member and their access level, written by `disable` before anything is
// deleted, read by `enable --reinvite` to invite everyone again at their level.

export const EXPORT_FORMAT = 'studio-access-members/1';

const exportedMemberSchema = z.object({
  email: z.string().trim().toLowerCase().min(3).max(254),
  accessLevel: z.enum(accessLevels).nullable(),
  status: z.enum(memberStatuses),
});

/** How the pool sent its own mail (SES on AWS), so that a new pool sends the same way. */
const poolEmailSchema = z.object({
  EmailSendingAccount: z.enum(['COGNITO_DEFAULT', 'DEVELOPER']).optional(),
  SourceArn: z.string().max(2048).optional(),
  From: z.string().max(2048).optional(),
  ReplyToEmailAddress: z.string().max(2048).optional(),
  ConfigurationSet: z.string().max(64).optional(),
});

const membersExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  appId: z.string(),
  userPoolId: z.string(),
  exportedAt: z.string(),
  pool: z.object({ email: poolEmailSchema.optional() }).optional(),
  members: z.array(exportedMemberSchema).max(1_000_000),
});

export type MembersExport = z.infer<typeof membersExportSchema>;
export type ExportedMember = z.infer<typeof exportedMemberSchema>;

/**
 * Every member of the pool with their level: the two groups listed once each, then the users a page
 * at a time. A member in no group gets the level the console recorded for them, if any.
 */
export async function collectMembers(
  ctx: CognitoContext,
  invites: InviteStore | null,
): Promise<ExportedMember[]> {
  const levels = new Map<string, AccessLevel[]>();
  for (const level of accessLevels) {
    let token: string | undefined;
    do {
      const page = await listAccessGroupRecords(ctx, level, { limit: MAX_PAGE_SIZE, token });
      for (const member of page.members)
        levels.set(member.username, [...(levels.get(member.username) ?? []), level]);
      token = page.nextToken;
    } while (token);
  }
  const members: ExportedMember[] = [];
  let token: string | undefined;
  do {
    const page = await listUserRecords(ctx, { limit: MAX_PAGE_SIZE, token });
    const withoutLevel = page.members.filter((member) => !levels.has(member.username)).map((m) => m.email);
    const records = invites && withoutLevel.length > 0 ? await invites.getMany(withoutLevel) : new Map();
    for (const member of page.members) {
      if (!member.email) continue;
      const grouped = strongestLevel(levels.get(member.username) ?? []);
      members.push({
        email: member.email,
        accessLevel: grouped ?? records.get(member.email)?.accessLevel ?? null,
        status: member.status,
      });
    }
    token = page.nextToken;
  } while (token);
  return members.sort((a, b) => a.email.localeCompare(b.email));
}

/** Writes the export, owner-only, never over an existing file; returns its absolute path. */
export function writeMembersExport(file: string, content: MembersExport): string {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writePrivateFile(target, `${JSON.stringify(content, null, 2)}\n`);
  return target;
}

export function defaultExportPath(dataDir: string, appId: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  return path.join(dataDir, `studio-members-${appId}-${stamp}.json`);
}

export class ExportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportFileError';
  }
}

/** Reads and checks an export; a clear error names the file and what is wrong with it. */
export function readMembersExport(file: string): MembersExport {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ExportFileError(
      `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ExportFileError(
      `${file}: not JSON (expected an export written by \`npm run studio -- disable\`)`,
    );
  }
  const parsed = membersExportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ExportFileError(
      `${file}: not a Studio Access members export (${issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid'})`,
    );
  }
  return parsed.data;
}
