import 'server-only';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUserGlobalSignOutCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AccessLevel, accessLevelOfGroup, accessLevels, groupOf } from '@/lib/access-levels';
import type { Member } from '@/lib/members';
import type { CognitoContext } from './client';
import { cognitoCall, IdentityError } from './errors';
import { MAX_PAGE_SIZE, memberStatus } from './members';

// The member writes and the paged reads the Access control page needs (server/members holds the
// rules). One function per Cognito call, so the caller decides what to retry, throttle and repair.

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

/** One ListUsers page (1-60 users) in Cognito's order, optionally filtered. */
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
    members: (page.Users ?? []).map((user) => toRecord(user, ctx.now())),
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
      members: (page.Users ?? []).map((user) => toRecord(user, ctx.now())),
      nextToken: page.NextToken || undefined,
    };
  } catch (error) {
    if (error instanceof IdentityError && error.code === 'not_found')
      return { members: [], nextToken: undefined };
    throw error;
  }
}

/** The member with this username (or, in an email pool, this email), or null. */
export async function getMemberRecord(ctx: CognitoContext, username: string): Promise<MemberRecord | null> {
  try {
    const user = await cognitoCall(() =>
      ctx.client.send(new AdminGetUserCommand({ UserPoolId: ctx.poolId, Username: username })),
    );
    return toRecord(
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
    if (error instanceof IdentityError && error.code === 'member_not_found') return null;
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

/** Every access level the member's groups grant (normally one; none after a half-finished invite). */
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

/**
 * AdminCreateUser with an emailed invitation (the custom-message trigger renders it from
 * `clientMetadata`). Cognito commits the user before it sends: CodeDeliveryFailureException means the
 * member exists and only the email failed.
 */
export async function createInvitedMember(
  ctx: CognitoContext,
  email: string,
  clientMetadata: Record<string, string>,
): Promise<MemberRecord> {
  const created = await cognitoCall(() =>
    ctx.client.send(
      new AdminCreateUserCommand({
        UserPoolId: ctx.poolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          // The invitation proves the mailbox once accepted; sign-in links go to this address.
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
        ClientMetadata: clientMetadata,
      }),
    ),
  );
  if (!created.User) throw new IdentityError('unknown', 'AdminCreateUser returned no user');
  return toRecord(created.User, ctx.now());
}

/**
 * AdminCreateUser with MessageAction RESEND: a new temporary password (valid for the pool's
 * TemporaryPasswordValidityDays again) and the invitation email once more. Only for members who have
 * not accepted (Cognito answers UnsupportedUserStateException otherwise).
 */
export async function resendInvitation(
  ctx: CognitoContext,
  username: string,
  clientMetadata: Record<string, string>,
): Promise<MemberRecord> {
  const resent = await cognitoCall(() =>
    ctx.client.send(
      new AdminCreateUserCommand({
        UserPoolId: ctx.poolId,
        Username: username,
        MessageAction: 'RESEND',
        DesiredDeliveryMediums: ['EMAIL'],
        ClientMetadata: clientMetadata,
      }),
    ),
  );
  if (!resent.User) throw new IdentityError('unknown', 'AdminCreateUser (RESEND) returned no user');
  return toRecord(resent.User, ctx.now());
}

/** Idempotent: adding someone already in the group succeeds. */
export async function addToAccessGroup(ctx: CognitoContext, username: string, level: AccessLevel) {
  await cognitoCall(() =>
    ctx.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: ctx.poolId,
        Username: username,
        GroupName: groupOf(level),
      }),
    ),
  );
}

/** Idempotent: removing someone not in the group succeeds. */
export async function removeFromAccessGroup(ctx: CognitoContext, username: string, level: AccessLevel) {
  await cognitoCall(() =>
    ctx.client.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: ctx.poolId,
        Username: username,
        GroupName: groupOf(level),
      }),
    ),
  );
}

/** Revokes every refresh token the member holds (their access tokens stop working with them). */
export async function signOutEverywhere(ctx: CognitoContext, username: string) {
  await cognitoCall(() =>
    ctx.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: ctx.poolId, Username: username })),
  );
}

export async function deleteMemberRecord(ctx: CognitoContext, username: string) {
  await cognitoCall(() =>
    ctx.client.send(new AdminDeleteUserCommand({ UserPoolId: ctx.poolId, Username: username })),
  );
}

/**
 * Whether the Full-access group holds an enabled member other than those in `excluding`. Reads the
 * group a few members at a time and stops at the first one found, so it stays cheap however large
 * the team is.
 */
export async function hasOtherEnabledFullAccessMember(
  ctx: CognitoContext,
  excluding: ReadonlySet<string>,
): Promise<boolean> {
  let token: string | undefined;
  do {
    const page = await listAccessGroupRecords(ctx, 'full', { limit: excluding.size + 2, token });
    if (page.members.some((member) => member.enabled && !excluding.has(member.username))) return true;
    token = page.nextToken;
  } while (token);
  return false;
}

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

function toRecord(user: UserType, now: number): MemberRecord {
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
