import 'server-only';
import {
  AdminListGroupsForUserCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AccessLevel, accessLevelInfo, accessLevelOfGroup, accessLevels } from '@/lib/access-levels';
import type { Member, MemberPage, MemberStatus } from '@/lib/members';
import { type CognitoContext, getCognitoContext } from './client';
import { cognitoCall, IdentityError } from './errors';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS } from './resources';

const DAY_MS = 86_400_000;
/** Cognito's ListUsers / ListUsersInGroup page limit. */
export const MAX_PAGE_SIZE = 60;

export interface ListMembersParams {
  /** 1-60; 60 by default. */
  limit?: number;
  paginationToken?: string;
  /** Only members whose email starts with this (case-insensitive). */
  emailPrefix?: string;
}

/**
 * One page of members in Cognito's ListUsers order. Cognito has no "user with groups" read, so the
 * access level comes from ListUsersInGroup on each access group, not one call per user.
 */
export async function listMembers(
  params: ListMembersParams = {},
  context?: CognitoContext,
): Promise<MemberPage> {
  const ctx = context ?? (await getCognitoContext());
  const limit = params.limit ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new IdentityError('invalid_parameter', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  const prefix = params.emailPrefix?.trim().toLowerCase();
  const [page, levels] = await Promise.all([
    cognitoCall(() =>
      ctx.client.send(
        new ListUsersCommand({
          UserPoolId: ctx.poolId,
          Limit: limit,
          PaginationToken: params.paginationToken || undefined,
          Filter: prefix ? `email ^= ${filterValue(prefix)}` : undefined,
        }),
      ),
    ),
    accessLevelsByUsername(ctx),
  ]);
  return {
    members: (page.Users ?? []).map((user) =>
      toMember(user, levels.get(user.Username ?? '') ?? null, ctx.now()),
    ),
    nextToken: page.PaginationToken || undefined,
  };
}

/** The member with this email (case-insensitive), or null. */
export async function findMemberByEmail(email: string, context?: CognitoContext): Promise<Member | null> {
  const ctx = context ?? (await getCognitoContext());
  const address = email.trim().toLowerCase();
  if (!address) return null;
  const page = await cognitoCall(() =>
    ctx.client.send(
      new ListUsersCommand({ UserPoolId: ctx.poolId, Limit: 1, Filter: `email = ${filterValue(address)}` }),
    ),
  );
  const user = page.Users?.[0];
  if (!user?.Username) return null;
  const username = user.Username;
  const groups: string[] = [];
  let nextToken: string | undefined;
  do {
    const result = await cognitoCall(() =>
      ctx.client.send(
        new AdminListGroupsForUserCommand({
          UserPoolId: ctx.poolId,
          Username: username,
          Limit: MAX_PAGE_SIZE,
          NextToken: nextToken,
        }),
      ),
    );
    for (const group of result.Groups ?? []) if (group.GroupName) groups.push(group.GroupName);
    nextToken = result.NextToken;
  } while (nextToken);
  return toMember(user, strongestLevel(groups), ctx.now());
}

/** Every member of each access group, as username → level (Full access wins if someone is in both). */
async function accessLevelsByUsername(ctx: CognitoContext): Promise<Map<string, AccessLevel>> {
  const perLevel = await Promise.all(
    accessLevels.map(async (level) => ({
      level,
      usernames: await groupUsernames(ctx, accessLevelInfo[level].group),
    })),
  );
  const levels = new Map<string, AccessLevel>();
  // accessLevels is ordered strongest first; the first level seen for a username stays.
  for (const { level, usernames } of perLevel) {
    for (const username of usernames) if (!levels.has(username)) levels.set(username, level);
  }
  return levels;
}

async function groupUsernames(ctx: CognitoContext, groupName: string): Promise<string[]> {
  const usernames: string[] = [];
  let nextToken: string | undefined;
  do {
    let page: Awaited<ReturnType<typeof listGroupPage>>;
    try {
      page = await listGroupPage(ctx, groupName, nextToken);
    } catch (error) {
      // A missing group has no members; provisioning (or doctor) re-creates it.
      if (error instanceof IdentityError && error.code === 'not_found') return usernames;
      throw error;
    }
    for (const user of page.Users ?? []) if (user.Username) usernames.push(user.Username);
    nextToken = page.NextToken;
  } while (nextToken);
  return usernames;
}

function listGroupPage(ctx: CognitoContext, groupName: string, nextToken: string | undefined) {
  return cognitoCall(() =>
    ctx.client.send(
      new ListUsersInGroupCommand({
        UserPoolId: ctx.poolId,
        GroupName: groupName,
        Limit: MAX_PAGE_SIZE,
        NextToken: nextToken,
      }),
    ),
  );
}

function strongestLevel(groups: string[]): AccessLevel | null {
  const held = new Set(groups.map(accessLevelOfGroup));
  return accessLevels.find((level) => held.has(level)) ?? null;
}

/** A value in a ListUsers filter: double-quoted, with `\` and `"` escaped. */
function filterValue(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function toMember(user: UserType, accessLevel: AccessLevel | null, now: number): Member {
  const email = user.Attributes?.find((a) => a.Name === 'email')?.Value ?? user.Username ?? '';
  const createdAt = user.UserCreateDate ?? new Date(0);
  const updatedAt = user.UserLastModifiedDate ?? createdAt;
  return {
    username: user.Username ?? '',
    email,
    accessLevel,
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
