import 'server-only';
import { randomBytes } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  type AdminCreateUserCommandInput,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type AccessLevel, groupOf } from '@/lib/access-levels';
import type { CognitoContext } from './client';
import { cognitoCall, IdentityError } from './errors';
import { type MemberRecord, toMemberRecord } from './members';

// The member writes: the Access control page's, and those of provisioning and sign-in (members.ts
// holds the reads, server/members the rules). One function per Cognito call, so the caller decides
// what to retry, throttle and repair.

/**
 * AdminCreateUser with an emailed invitation (the custom-message trigger renders it from
 * `clientMetadata`). Cognito commits the user before it sends: CodeDeliveryFailureException means the
 * member exists and only the email failed.
 */
export function createInvitedMember(
  ctx: CognitoContext,
  email: string,
  clientMetadata: Record<string, string>,
): Promise<MemberRecord> {
  return createUser(ctx, {
    Username: email,
    UserAttributes: verifiedEmail(email),
    DesiredDeliveryMediums: ['EMAIL'],
    ClientMetadata: clientMetadata,
  });
}

/**
 * AdminCreateUser with MessageAction SUPPRESS: a member who gets no invitation email (the bootstrap
 * admin, seeded members). They stay FORCE_CHANGE_PASSWORD until given a permanent password.
 */
export function createMemberWithoutInvitation(ctx: CognitoContext, email: string): Promise<MemberRecord> {
  return createUser(ctx, {
    Username: email,
    UserAttributes: verifiedEmail(email),
    MessageAction: 'SUPPRESS',
  });
}

/**
 * AdminCreateUser with MessageAction RESEND: a new temporary password (valid for the pool's
 * TemporaryPasswordValidityDays again) and the invitation email once more. Only for members who have
 * not accepted (Cognito answers UnsupportedUserStateException otherwise).
 */
export function resendInvitation(
  ctx: CognitoContext,
  username: string,
  clientMetadata: Record<string, string>,
): Promise<MemberRecord> {
  return createUser(ctx, {
    Username: username,
    MessageAction: 'RESEND',
    DesiredDeliveryMediums: ['EMAIL'],
    ClientMetadata: clientMetadata,
  });
}

async function createUser(
  ctx: CognitoContext,
  input: Omit<AdminCreateUserCommandInput, 'UserPoolId'>,
): Promise<MemberRecord> {
  const result = await cognitoCall(() =>
    ctx.client.send(new AdminCreateUserCommand({ UserPoolId: ctx.poolId, ...input })),
  );
  if (!result.User) {
    const resend = input.MessageAction === 'RESEND' ? ' (RESEND)' : '';
    throw new IdentityError('unknown', `AdminCreateUser${resend} returned no user`);
  }
  return toMemberRecord(result.User, ctx.now());
}

/**
 * Sign-in links go to this address: an accepted invitation proves it; an uninvited member's comes
 * from whoever runs the console.
 */
function verifiedEmail(email: string): AttributeType[] {
  return [
    { Name: 'email', Value: email },
    { Name: 'email_verified', Value: 'true' },
  ];
}

/**
 * AdminSetUserPassword, Permanent: the member is CONFIRMED (active) from now on, without the
 * NEW_PASSWORD_REQUIRED step of an invitation.
 */
export async function setPermanentPassword(ctx: CognitoContext, username: string, password: string) {
  await cognitoCall(() =>
    ctx.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: ctx.poolId,
        Username: username,
        Password: password,
        Permanent: true,
      }),
    ),
  );
}

/**
 * For a member who signs in by email links only: 192 random bits plus one character of each class, so
 * any Cognito password policy accepts it; nobody ever sees it.
 */
export function randomPermanentPassword(): string {
  return `${randomBytes(24).toString('base64url')}Aa1!`;
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
 * AdminDisableUser: Cognito refuses every sign-in of a disabled user (and the verify/define triggers
 * refuse them too); their refresh tokens keep existing until revoked, so pair it with a sign-out.
 */
export async function disableMember(ctx: CognitoContext, username: string) {
  await cognitoCall(() =>
    ctx.client.send(new AdminDisableUserCommand({ UserPoolId: ctx.poolId, Username: username })),
  );
}

/** AdminEnableUser: the user signs in again, with the groups (access level) they held before. */
export async function enableMember(ctx: CognitoContext, username: string) {
  await cognitoCall(() =>
    ctx.client.send(new AdminEnableUserCommand({ UserPoolId: ctx.poolId, Username: username })),
  );
}
