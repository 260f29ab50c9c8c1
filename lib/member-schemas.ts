import { accessLevels } from './access-levels';
import {
  DEFAULT_MEMBER_PAGE_SIZE,
  type MemberLevelFilter,
  type MemberPageSize,
  type MemberStatusFilter,
  memberLevelFilters,
  memberPageSizes,
  memberStatusFilters,
} from './members';
import { z } from './zod';

// What the Access control forms and the table's URL may carry. Emails are trimmed and lower-cased
// here; unknown fields never get past these schemas.

export const MAX_INVITES = 500;
const MAX_USERNAME_LENGTH = 128;
const MAX_SELECTED = 500;

const emailAddress = z.email();

/** Mailboxes written `Ana Lopez <ana@example.com>` or `"Lopez, Ana" <ana@example.com>`: the address. */
const MAILBOX = /(^|[\s,;])(?:(?:"[^"]*"|[^\s,;<>"@]+)[ \t]*)*<([^<>]*)>/g;

/**
 * Splits what someone typed or pasted into email addresses: separated by commas, semicolons, spaces,
 * tabs or new lines; `Name <address>` keeps the address. Addresses come back trimmed, lower-cased and
 * once each, in the order given; what is not an address comes back in `invalid`, as typed. A pasted
 * spreadsheet row (tab-separated cells) may carry names beside the address: cells without an `@` in
 * such a row are skipped rather than reported.
 */
export function parseEmailList(raw: string): { emails: string[]; invalid: string[] } {
  const emails: string[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const line of raw.split(/\r\n|\r|\n/)) {
    const cells = line.split('\t');
    const spreadsheetRow = cells.length > 1 && cells.some((cell) => cell.includes('@'));
    for (const cell of cells) {
      if (spreadsheetRow && !cell.includes('@')) continue;
      const unwrapped = cell.replace(
        MAILBOX,
        (_match, before: string, address: string) => `${before} ${address} `,
      );
      for (const token of unwrapped.split(/[\s,;]+/)) {
        const candidate = token.replace(/^mailto:/i, '').trim();
        if (candidate === '') continue;
        const email = candidate.toLowerCase();
        if (seen.has(email)) continue;
        seen.add(email);
        if (emailAddress.safeParse(email).success) emails.push(email);
        else invalid.push(candidate);
      }
    }
  }
  return { emails, invalid };
}

const accessLevel = z.enum(accessLevels, { error: 'Choose an access level.' });

/** "Add team members": `emails` as typed or pasted (up to 500), and the level they get. */
export const inviteSchema = z.object({
  emails: z
    .string({ error: 'Enter at least one email address.' })
    .max(100_000, { error: `Enter at most ${MAX_INVITES} email addresses at once.` })
    .transform((raw, ctx) => {
      const parsed = parseEmailList(raw);
      const count = parsed.emails.length + parsed.invalid.length;
      if (count === 0) {
        ctx.addIssue({ code: 'custom', message: 'Enter at least one email address.' });
        return z.NEVER;
      }
      if (count > MAX_INVITES) {
        ctx.addIssue({
          code: 'custom',
          message: `Enter at most ${MAX_INVITES} email addresses at once (you entered ${count}).`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
  accessLevel,
});

export type InviteField = 'emails' | 'accessLevel';

const username = z.string().trim().min(1).max(MAX_USERNAME_LENGTH);

/** Selected members, by username; each once. */
const usernames = z
  .array(username, { error: 'Select at least one team member.' })
  .min(1, { error: 'Select at least one team member.' })
  .max(MAX_SELECTED, { error: `Select at most ${MAX_SELECTED} team members at once.` })
  .transform((list) => [...new Set(list)]);

/** "Edit team member(s)": the selected members and their new level. */
export const editMembersSchema = z.object({ usernames, accessLevel });

/** "Delete users". */
export const deleteMembersSchema = z.object({ usernames });

/** "Resend invite". */
export const resendInviteSchema = z.object({ usernames });

/** The one-click fix for a member with "No access level". */
export const fixAccessLevelSchema = z.object({ username, accessLevel });

// The table's URL: ?q=<email prefix>&level=full|manage|none&status=...&page=<token>&size=10|25|50.
// A bad value is dropped (as if absent), never an error: URLs get edited and shared.

/** Next.js searchParams values are string | string[] | undefined; the first of several wins. */
const param = z.preprocess(
  (value) => (Array.isArray(value) ? value[0] : value),
  z.string().optional().catch(undefined),
);

export interface MemberQuery {
  /** Email prefix, trimmed and lower-cased. */
  q?: string;
  level?: MemberLevelFilter;
  status?: MemberStatusFilter;
  /** Opaque token from a previous page's `nextPage`. */
  page?: string;
  size: MemberPageSize;
}

export const memberQuerySchema = z
  .object({ q: param, level: param, status: param, page: param, size: param })
  .transform((raw): MemberQuery => {
    const query: MemberQuery = { size: DEFAULT_MEMBER_PAGE_SIZE };
    const q = raw.q?.trim().toLowerCase();
    if (q && q.length <= 256) query.q = q;
    const level = memberLevelFilters.find((value) => value === raw.level);
    if (level) query.level = level;
    const status = memberStatusFilters.find((value) => value === raw.status);
    if (status) query.status = status;
    if (raw.page && /^[A-Za-z0-9_-]{1,4096}$/.test(raw.page)) query.page = raw.page;
    const size = memberPageSizes.find((value) => String(value) === raw.size?.trim());
    if (size) query.size = size;
    return query;
  });

/** Parses URL search params (a URLSearchParams or Next.js's searchParams object) into a MemberQuery. */
export function parseMemberQuery(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): MemberQuery {
  const input = params instanceof URLSearchParams ? Object.fromEntries(params) : params;
  return memberQuerySchema.parse(input);
}

/** Whether `value` is an email address the invite form accepts (already trimmed and lower-cased). */
export function isEmailAddress(value: string): boolean {
  return emailAddress.safeParse(value).success;
}
