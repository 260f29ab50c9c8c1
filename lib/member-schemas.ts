import { accessLevels } from './access-levels';
import { parseEmailList } from './email-list';
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

export { isEmailAddress, parseEmailList } from './email-list';

export const MAX_INVITES = 500;
const MAX_USERNAME_LENGTH = 128;
const MAX_SELECTED = 500;

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
