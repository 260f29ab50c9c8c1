import 'server-only';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  DescribeUserPoolCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type AccessLevel,
  accessLevelOfGroup,
  accessLevels,
  groupOf,
  strongestLevel,
} from '@/lib/access-levels';
import type { Member, MemberStatus } from '@/lib/members';
import { type CognitoContext, getCognitoContext } from './client';
import { cognitoCall, isIdentityError } from './errors';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS } from './resources';

// The member reads: Cognito's paged user and group listings, one member's record, their groups
// (member-admin.ts holds the writes, server/members the rules). One function per Cognito call, so the
// caller decides what to retry and throttle; nothing here reads the whole pool.

const DAY_MS = 86_400_000;
/** Cognito's ListUsers / ListUsersInGroup page limit. */
export const MAX_PAGE_SIZE = 60;

/** A member as Cognito's user record has them; the access level comes from the groups, apart. */
export type MemberRecord = Omit<Member, 'accessLevel'>;

/** The ListUsers filters the console uses (Cognito searches one attribute per call). */
export type UserFilter =
  | { emailPrefix: string }
  | { email: string }
  | { userStatus: 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' }
  | { disabled: true };

export interface RecordPage {
  members: MemberRecord[];
  nextToken: string | undefined;
}

/** One ListUsers page (1-60 users; a limit outside that is brought into it) in Cognito's order. */
export async function listUserRecords(
  ctx: CognitoContext,
  params: { filter?: UserFilter; limit: number; token?: string },
): Promise<RecordPage> {
  const page = await cognitoCall(() =>
    ctx.client.send(
      new ListUsersCommand({
        UserPoolId: ctx.poolId,
        Limit: pageLimit(params.limit),
        PaginationToken: params.token || undefined,
        Filter: params.filter ? filterExpression(params.filter) : undefined,
      }),
    ),
  );
  return {
    members: (page.Users ?? []).map((user) => toMemberRecord(user, ctx.now())),
    nextToken: page.PaginationToken || undefined,
  };
}

/** One ListUsersInGroup page of an access group's members; a missing group has none. */
export async function listAccessGroupRecords(
  ctx: CognitoContext,
  level: AccessLevel,
  params: { limit: number; token?: string },
): Promise<RecordPage> {
  try {
    const page = await cognitoCall(() =>
      ctx.client.send(
        new ListUsersInGroupCommand({
          UserPoolId: ctx.poolId,
          GroupName: groupOf(level),
          Limit: pageLimit(params.limit),
          NextToken: params.token || undefined,
        }),
      ),
    );
    return {
      members: (page.Users ?? []).map((user) => toMemberRecord(user, ctx.now())),
      nextToken: page.NextToken || undefined,
    };
  } catch (error) {
    // Provisioning (or doctor) re-creates it.
    if (isIdentityError(error, 'not_found')) return { members: [], nextToken: undefined };
    throw error;
  }
}

/**
 * Whether the Full-access group holds a member, other than those in `excluding`, for whom `counts`
 * is true. Reads the group a few members at a time and stops at the first one found, so it stays
 * cheap however large the team is.
 */
export async function hasOtherFullAccessMember(
  ctx: CognitoContext,
  excluding: ReadonlySet<string>,
  counts: (member: MemberRecord) => boolean,
): Promise<boolean> {
  let token: string | undefined;
  do {
    const page = await listAccessGroupRecords(ctx, 'full', { limit: excluding.size + 2, token });
    if (page.members.some((member) => counts(member) && !excluding.has(member.username))) return true;
    token = page.nextToken;
  } while (token);
  return false;
}

/**
 * DescribeUserPool's EstimatedNumberOfUsers: Cognito's own count, which trails recent changes a little;
 * one call, however large the pool.
 */
export async function getEstimatedMemberCount(ctx: CognitoContext): Promise<number | undefined> {
  const { UserPool } = await cognitoCall(() =>
    ctx.client.send(new DescribeUserPoolCommand({ UserPoolId: ctx.poolId })),
  );
  return UserPool?.EstimatedNumberOfUsers;
}

/** The member with this username (or, in an email pool, this email), or null. */
export async function getMemberRecord(ctx: CognitoContext, username: string): Promise<MemberRecord | null> {
  try {
    const user = await cognitoCall(() =>
      ctx.client.send(new AdminGetUserCommand({ UserPoolId: ctx.poolId, Username: username })),
    );
    return toMemberRecord(
      {
        Username: user.Username,
        Attributes: user.UserAttributes,
        Enabled: user.Enabled,
        UserStatus: user.UserStatus,
        UserCreateDate: user.UserCreateDate,
        UserLastModifiedDate: user.UserLastModifiedDate,
      },
      ctx.now(),
    );
  } catch (error) {
    if (isIdentityError(error, 'member_not_found')) return null;
    throw error;
  }
}

/** The member whose email is this one (case-insensitive), or null. */
export async function findMemberRecordByEmail(
  ctx: CognitoContext,
  email: string,
): Promise<MemberRecord | null> {
  const page = await listUserRecords(ctx, { filter: { email }, limit: 1 });
  return page.members[0] ?? null;
}

/** The member with this email (trimmed, case-insensitive) and the strongest level they hold, or null. */
export async function findMemberByEmail(email: string, context?: CognitoContext): Promise<Member | null> {
  const ctx = context ?? (await getCognitoContext());
  const address = email.trim();
  if (!address) return null;
  const record = await findMemberRecordByEmail(ctx, address);
  if (!record?.username) return null;
  return { ...record, accessLevel: strongestLevel(await getAccessLevels(ctx, record.username)) };
}

/**
 * Every access level the member's groups grant, strongest first (normally one; none after a
 * half-finished invite).
 */
export async function getAccessLevels(ctx: CognitoContext, username: string): Promise<AccessLevel[]> {
  const held = new Set<AccessLevel>();
  let nextToken: string | undefined;
  do {
    const page = await cognitoCall(() =>
      ctx.client.send(
        new AdminListGroupsForUserCommand({
          UserPoolId: ctx.poolId,
          Username: username,
          Limit: MAX_PAGE_SIZE,
          NextToken: nextToken,
        }),
      ),
    );
    for (const group of page.Groups ?? []) {
      const level = accessLevelOfGroup(group.GroupName ?? '');
      if (level) held.add(level);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return accessLevels.filter((level) => held.has(level));
}

/** The record of a user as ListUsers, ListUsersInGroup and AdminCreateUser return them. */
export function toMemberRecord(user: UserType, now: number): MemberRecord {
  const email = user.Attributes?.find((a) => a.Name === 'email')?.Value ?? user.Username ?? '';
  const createdAt = user.UserCreateDate ?? new Date(0);
  const updatedAt = user.UserLastModifiedDate ?? createdAt;
  return {
    username: user.Username ?? '',
    email: email.toLowerCase(),
    status: memberStatus(user, now),
    enabled: user.Enabled !== false,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

/**
 * Cognito reports FORCE_CHANGE_PASSWORD for an invitee whether or not the temporary password still
 * works; it stops working TEMPORARY_PASSWORD_VALIDITY_DAYS after it was issued (creation, or the
 * last resend, which updates the user's last-modified date).
 */
export function memberStatus(
  user: Pick<UserType, 'Enabled' | 'UserStatus' | 'UserCreateDate' | 'UserLastModifiedDate'>,
  now: number,
): MemberStatus {
  if (user.Enabled === false) return 'disabled';
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD') {
    const issued = (user.UserLastModifiedDate ?? user.UserCreateDate)?.getTime() ?? now;
    return now > issued + TEMPORARY_PASSWORD_VALIDITY_DAYS * DAY_MS ? 'expired' : 'pending';
  }
  if (user.UserStatus === 'CONFIRMED' || user.UserStatus === 'EXTERNAL_PROVIDER') return 'active';
  return 'pending';
}

/** Cognito's Limit must be 1-60. */
function pageLimit(limit: number): number {
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit)));
}

/** A value in a ListUsers filter: double-quoted, with `\` and `"` escaped. */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function filterExpression(filter: UserFilter): string {
  if ('emailPrefix' in filter) return `email ^= ${quoted(filter.emailPrefix.toLowerCase())}`;
  if ('email' in filter) return `email = ${quoted(filter.email.toLowerCase())}`;
  if ('userStatus' in filter) return `cognito:user_status = ${quoted(filter.userStatus)}`;
  return 'status = "Disabled"';
}
