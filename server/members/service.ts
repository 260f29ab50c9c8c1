import 'server-only';
import { type AccessLevel, accessLevelLabel, strongestLevel } from '@/lib/access-levels';
import type { ItemResult } from '@/lib/action-state';
import { isEmailAddress } from '@/lib/member-schemas';
import { type ActivityEntry, isInvitationOutstanding } from '@/lib/members';
import { dropMemberAccessCache } from '@/server/auth/member-cache';
import { endMemberSessionRecords } from '@/server/auth/sessions';
import { IdentityError, isIdentityError } from '@/server/cognito/errors';
import {
  addToAccessGroup,
  createInvitedMember,
  deleteMemberRecord,
  removeFromAccessGroup,
  resendInvitation,
  signOutEverywhere,
} from '@/server/cognito/member-admin';
import {
  findMemberRecordByEmail,
  getAccessLevels,
  getMemberRecord,
  type MemberRecord,
} from '@/server/cognito/members';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS } from '@/server/cognito/resources';
import { withThrottleRetry } from '@/server/cognito/throttle';
import { invitationMetadata } from '@/server/triggers/protocol';
import { type Actor, getMemberStores, getMembersContext, type MembersContext } from './context';
import { assertFullAccess } from './errors';
import {
  guardedFullAccessChange,
  LAST_FULL_ACCESS_DEMOTE,
  LAST_FULL_ACCESS_REMOVE,
  levelText,
  mapConcurrent,
  reason,
  wouldLeaveNoFullAccess,
} from './rules';
import type { NewActivity } from './stores';
import { TeamBusyError } from './team-lease';

// The writes of the Access control page. Each checks the actor's level itself, answers per member
// (one failure never hides the others), records every attempt in the activity log, and drops the
// data access layer's member cache so the change applies to the member's next request.

/** Invitations in flight at once; the AdminCreateUser token bucket sets the pace. */
const INVITE_CONCURRENCY = 8;

const FIX_HINT = 'They show as "No access level": set one with Fix access level.';

function isDeliveryFailure(error: unknown): boolean {
  return error instanceof IdentityError && error.source === 'CodeDeliveryFailureException';
}

/**
 * Invites each email at `level`: AdminCreateUser (Cognito emails the invitation, rendered by the
 * custom-message trigger with the inviter and level), then AdminAddUserToGroup. An email that is
 * already a member is reported as such (and, if a half-finished invitation left them in no group,
 * given `level`); a failed invitation email leaves the member in place, marked "Invite email failed".
 */
export async function inviteMembers(
  actor: Actor,
  emails: readonly string[],
  level: AccessLevel,
  context?: MembersContext,
): Promise<ItemResult[]> {
  assertFullAccess(actor);
  const ctx = context ?? (await getMembersContext());
  const distinct = [...new Set(emails.map((email) => email.trim().toLowerCase()))].filter(Boolean);
  try {
    return await mapConcurrent(distinct, INVITE_CONCURRENCY, (email) => inviteOne(ctx, actor, email, level));
  } finally {
    dropMemberAccessCache();
  }
}

async function inviteOne(
  ctx: MembersContext,
  actor: Actor,
  email: string,
  level: AccessLevel,
): Promise<ItemResult> {
  const result = (outcome: ItemResult['outcome'], message: string): ItemResult => ({
    key: email,
    email,
    outcome,
    message,
  });
  if (!isEmailAddress(email)) return result('invalid', 'This is not a valid email address.');
  const log = (outcome: 'success' | 'failure', message: string | null) =>
    record(ctx, {
      actorEmail: actor.email,
      action: 'invite',
      targetEmail: email,
      detail: accessLevelLabel(level),
      outcome,
      message,
    });

  try {
    const existing = await withThrottleRetry(() => findMemberRecordByEmail(ctx.cognito, email), ctx.retry);
    if (existing) return await alreadyMember(ctx, actor, existing, level, result);

    let member: MemberRecord | null;
    let deliveryError: string | null = null;
    try {
      member = await withThrottleRetry(
        () => createInvitedMember(ctx.cognito, email, invitationMetadata(actor.email, level)),
        ctx.retry,
        ctx.createLimiter,
      );
    } catch (error) {
      if (isIdentityError(error, 'member_exists')) {
        // Another invitation to this address won the race: it sends the one email and sets the level.
        await log('failure', 'Already a member (invited at the same moment by another request).');
        return result('already-member', 'Already a member: they were invited at the same moment.');
      }
      if (isIdentityError(error, 'invalid_parameter') && /email|username/i.test(error.message)) {
        await log('failure', reason(error));
        return result('invalid', `Cognito refused this address: ${reason(error)}`);
      }
      if (!isDeliveryFailure(error)) throw error;
      // Cognito created the member and then could not send the email.
      deliveryError = reason(error);
      member = await withThrottleRetry(() => findMemberRecordByEmail(ctx.cognito, email), ctx.retry);
      if (!member) throw error;
    }

    await ctx.invites.recordInvitation({
      email,
      username: member.username,
      invitedBy: actor.email,
      accessLevel: level,
      delivery: deliveryError ? 'failed' : 'sent',
      deliveryError,
      at: ctx.cognito.now(),
    });
    const created = member;
    try {
      await withThrottleRetry(() => addToAccessGroup(ctx.cognito, created.username, level), ctx.retry);
    } catch (error) {
      const message = `The member was created, but their access level could not be set (${reason(error)}). ${FIX_HINT}`;
      await log('failure', message);
      return result('failed', message);
    }

    if (deliveryError) {
      const message = `Added as ${accessLevelLabel(level)}, but the invitation email could not be sent (${deliveryError.replace(/\.$/, '')}). Use Resend invite once mail works.`;
      await log('failure', message);
      return result('failed', message);
    }
    await log('success', null);
    return result('invited', `Invited as ${accessLevelLabel(level)}.`);
  } catch (error) {
    const message = failureMessage(error);
    await log('failure', message);
    return result('failed', message);
  }
}

/** The address is a member already: say so, and finish a half-done invitation (no group yet). */
async function alreadyMember(
  ctx: MembersContext,
  actor: Actor,
  member: MemberRecord,
  level: AccessLevel,
  result: (outcome: ItemResult['outcome'], message: string) => ItemResult,
): Promise<ItemResult> {
  const levels = await withThrottleRetry(() => getAccessLevels(ctx.cognito, member.username), ctx.retry);
  const current = strongestLevel(levels);
  const log = (outcome: 'success' | 'failure', message: string) =>
    record(ctx, {
      actorEmail: actor.email,
      action: 'invite',
      targetEmail: member.email,
      detail: accessLevelLabel(level),
      outcome,
      message,
    });

  if (current === null) {
    const age = ctx.cognito.now() - Date.parse(member.createdAt);
    if (age < ctx.settleMs) {
      await log('failure', 'Already a member: an invitation to this address is being sent.');
      return result('already-member', 'Already a member: an invitation to this address is being sent.');
    }
    await ctx.invites.recordLevel(member.email, {
      username: member.username,
      accessLevel: level,
      at: ctx.cognito.now(),
    });
    await withThrottleRetry(() => addToAccessGroup(ctx.cognito, member.username, level), ctx.retry);
    const message = `Already a member, but without an access level; they now have ${accessLevelLabel(level)}.`;
    await log('success', message);
    return result('already-member', message);
  }

  const hint =
    member.status === 'expired'
      ? ' Their invitation has expired: use Resend invite.'
      : member.status === 'pending'
        ? ' Their invitation is pending; Resend invite sends it again.'
        : '';
  const message = `Already a member with ${accessLevelLabel(current)}.${hint}`;
  await log('failure', message);
  return result('already-member', message);
}

/**
 * Gives each member `level`: removes the group of the level they hold before adding the new one, so
 * nobody ever holds both. The last enabled Full-access member is never demoted.
 */
export async function changeAccessLevel(
  actor: Actor,
  usernames: readonly string[],
  level: AccessLevel,
  context?: MembersContext,
): Promise<ItemResult[]> {
  assertFullAccess(actor);
  const ctx = context ?? (await getMembersContext());
  return oneAtATime(actor, usernames, (username) => setLevel(ctx, actor, username, level, 'change-level'));
}

/** The one-click fix for "No access level" (also works as a level change for anyone else). */
export async function fixAccessLevel(
  actor: Actor,
  username: string,
  level: AccessLevel,
  context?: MembersContext,
): Promise<ItemResult> {
  assertFullAccess(actor);
  const ctx = context ?? (await getMembersContext());
  try {
    return await setLevel(ctx, actor, username, level, 'fix-level');
  } finally {
    dropMemberAccessCache();
  }
}

async function setLevel(
  ctx: MembersContext,
  actor: Actor,
  username: string,
  level: AccessLevel,
  action: 'change-level' | 'fix-level',
): Promise<ItemResult> {
  let member: MemberRecord | null;
  try {
    member = await withThrottleRetry(() => getMemberRecord(ctx.cognito, username), ctx.retry);
  } catch (error) {
    return { key: username, email: username, outcome: 'failed', message: failureMessage(error) };
  }
  if (!member) {
    return { key: username, email: username, outcome: 'failed', message: 'No longer a member of this team.' };
  }
  const found = member;
  const result = (outcome: ItemResult['outcome'], message: string, summary?: string): ItemResult => ({
    key: username,
    email: found.email,
    outcome,
    message,
    ...(summary ? { summary } : {}),
  });
  const log = (from: AccessLevel | null, outcome: 'success' | 'failure', message: string | null) =>
    record(ctx, {
      actorEmail: actor.email,
      action,
      targetEmail: found.email,
      detail: `${levelText(from)} → ${accessLevelLabel(level)}`,
      outcome,
      message,
    });

  const change = async (): Promise<ItemResult> => {
    const levels = await withThrottleRetry(() => getAccessLevels(ctx.cognito, username), ctx.retry);
    const from = strongestLevel(levels);
    if (levels.length === 1 && levels[0] === level) {
      return result(
        'unchanged',
        `Already has ${accessLevelLabel(level)}.`,
        `${found.email} already has ${accessLevelLabel(level)}.`,
      );
    }
    if (level !== 'full' && (await wouldLeaveNoFullAccess(ctx.cognito, found, levels))) {
      await log(from, 'failure', LAST_FULL_ACCESS_DEMOTE);
      return result('refused', LAST_FULL_ACCESS_DEMOTE);
    }
    // Remembered first: if the writes below stop halfway, a later resend or fix knows the level.
    await ctx.invites.recordLevel(found.email, { username, accessLevel: level, at: ctx.cognito.now() });
    try {
      for (const old of levels) {
        if (old !== level) {
          await withThrottleRetry(() => removeFromAccessGroup(ctx.cognito, username, old), ctx.retry);
        }
      }
    } catch (error) {
      const message = `The access level was not changed: ${reason(error)}`;
      await log(from, 'failure', message);
      return result('failed', message);
    }
    try {
      await withThrottleRetry(() => addToAccessGroup(ctx.cognito, username, level), ctx.retry);
    } catch (error) {
      const message = `Their previous access level was removed, but ${accessLevelLabel(level)} could not be set (${reason(error)}). ${FIX_HINT}`;
      await log(from, 'failure', message);
      return result('failed', message);
    }
    dropMemberAccessCache();
    await log(from, 'success', null);
    return result(
      'updated',
      `Now has ${accessLevelLabel(level)}.`,
      `${found.email} is now ${accessLevelLabel(level)}.`,
    );
  };

  try {
    // Taking Full access away must not interleave with another such change (see guardedFullAccessChange).
    return level === 'full' ? await change() : await guardedFullAccessChange(ctx, change);
  } catch (error) {
    const message = failureMessage(error);
    await log(null, 'failure', message);
    return result('failed', message);
  }
}

/**
 * Deletes each member: a global sign-out (their tokens stop working), then AdminDeleteUser, then
 * their session records are ended; their next request lands on /login. Members may delete themselves, except the last enabled Full-access
 * member, who can never be removed.
 */
export async function removeMembers(
  actor: Actor,
  usernames: readonly string[],
  context?: MembersContext,
): Promise<ItemResult[]> {
  assertFullAccess(actor);
  const ctx = context ?? (await getMembersContext());
  return oneAtATime(actor, usernames, async (username) => {
    const result = await guardedFullAccessChange(ctx, () => removeOne(ctx, actor, username));
    dropMemberAccessCache();
    return result;
  });
}

async function removeOne(ctx: MembersContext, actor: Actor, username: string): Promise<ItemResult> {
  let email = username;
  const log = (outcome: 'success' | 'failure', message: string | null, detail: string | null) =>
    record(ctx, { actorEmail: actor.email, action: 'delete', targetEmail: email, detail, outcome, message });
  let from: AccessLevel | null = null;
  try {
    const member = await withThrottleRetry(() => getMemberRecord(ctx.cognito, username), ctx.retry);
    if (!member) {
      return { key: username, email, outcome: 'unchanged', message: 'Already removed from this team.' };
    }
    email = member.email;
    const levels = await withThrottleRetry(() => getAccessLevels(ctx.cognito, username), ctx.retry);
    from = strongestLevel(levels);
    if (await wouldLeaveNoFullAccess(ctx.cognito, member, levels)) {
      await log('failure', LAST_FULL_ACCESS_REMOVE, levelText(from));
      return { key: username, email, outcome: 'refused', message: LAST_FULL_ACCESS_REMOVE };
    }
    try {
      await withThrottleRetry(() => signOutEverywhere(ctx.cognito, username), ctx.retry);
    } catch (error) {
      if (!isIdentityError(error, 'member_not_found')) throw error;
    }
    try {
      await withThrottleRetry(() => deleteMemberRecord(ctx.cognito, username), ctx.retry);
    } catch (error) {
      if (!isIdentityError(error, 'member_not_found')) throw error;
    }
    await ctx.invites.remove(email);
    await endSessions(ctx, username);
    await log('success', null, levelText(from));
    const self = username === actor.username;
    return {
      key: username,
      email,
      outcome: 'deleted',
      message: self ? 'You were removed from this team.' : 'Removed from this team.',
      summary: self ? `You (${email}) were removed from this team.` : `${email} was removed from this team.`,
    };
  } catch (error) {
    const message = failureMessage(error);
    await log('failure', message, from ? levelText(from) : null);
    return { key: username, email, outcome: 'failed', message };
  }
}

/**
 * Ends a removed or disabled member's session records. The data access layer refuses their cookie
 * either way, so a failure here is logged rather than reported as a failed removal; ending the records
 * is what keeps an old cookie from working again once a disabled member is enabled.
 */
export async function endSessions(ctx: MembersContext, username: string): Promise<void> {
  try {
    await endMemberSessionRecords(ctx.sessions, username, ctx.cognito.now());
  } catch (error) {
    console.error(
      `sessions of ${username} not ended: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Sends the invitation again (AdminCreateUser RESEND: a new temporary password, valid for another
 * TEMPORARY_PASSWORD_VALIDITY_DAYS) to Pending and Expired members. A member a half-finished
 * invitation left in no group gets the level recorded with their invitation first.
 */
export async function resendInvites(
  actor: Actor,
  usernames: readonly string[],
  context?: MembersContext,
): Promise<ItemResult[]> {
  assertFullAccess(actor);
  const ctx = context ?? (await getMembersContext());
  const distinct = [...new Set(usernames)];
  try {
    return await mapConcurrent(distinct, INVITE_CONCURRENCY, (username) => resendOne(ctx, actor, username));
  } finally {
    dropMemberAccessCache();
  }
}

async function resendOne(ctx: MembersContext, actor: Actor, username: string): Promise<ItemResult> {
  let email = username;
  const result = (outcome: ItemResult['outcome'], message: string): ItemResult => ({
    key: username,
    email,
    outcome,
    message,
  });
  let detail: string | null = null;
  const log = (outcome: 'success' | 'failure', message: string | null) =>
    record(ctx, { actorEmail: actor.email, action: 'resend', targetEmail: email, detail, outcome, message });

  try {
    const member = await withThrottleRetry(() => getMemberRecord(ctx.cognito, username), ctx.retry);
    if (!member) return result('failed', 'No longer a member of this team.');
    email = member.email;
    if (!isInvitationOutstanding(member)) {
      const message =
        member.status === 'disabled'
          ? 'This member is disabled; an invitation cannot be resent to them.'
          : 'This member has already accepted their invitation.';
      await log('failure', message);
      return result('refused', message);
    }

    const levels = await withThrottleRetry(() => getAccessLevels(ctx.cognito, username), ctx.retry);
    let level = strongestLevel(levels);
    let repaired = '';
    if (level === null) {
      const recorded = (await ctx.invites.getMany([member.email])).get(member.email);
      const intended = recorded && (recorded.username ?? username) === username ? recorded.accessLevel : null;
      if (!intended) {
        const message =
          'This member has no access level, so the invitation could not say what they may do. Set one with Fix access level, then resend.';
        await log('failure', message);
        return result('refused', message);
      }
      await withThrottleRetry(() => addToAccessGroup(ctx.cognito, username, intended), ctx.retry);
      level = intended;
      repaired = ` Their missing access level (${accessLevelLabel(intended)}) was set.`;
    }
    detail = accessLevelLabel(level);
    const sendLevel = level;

    try {
      await withThrottleRetry(
        () => resendInvitation(ctx.cognito, username, invitationMetadata(actor.email, sendLevel)),
        ctx.retry,
        ctx.createLimiter,
      );
    } catch (error) {
      if (isDeliveryFailure(error)) {
        await ctx.invites.recordDelivery(member.email, {
          username,
          invitedBy: actor.email,
          delivery: 'failed',
          deliveryError: reason(error),
          at: ctx.cognito.now(),
        });
        const message = `The invitation email could not be sent (${reason(error).replace(/\.$/, '')}). Try again once mail works.${repaired}`;
        await log('failure', message);
        return result('failed', message);
      }
      if (isIdentityError(error) && error.source === 'UnsupportedUserStateException') {
        const message = 'This member has already accepted their invitation.';
        await log('failure', message);
        return result('refused', message);
      }
      throw error;
    }
    await ctx.invites.recordDelivery(member.email, {
      username,
      invitedBy: actor.email,
      delivery: 'sent',
      deliveryError: null,
      at: ctx.cognito.now(),
    });
    await log('success', repaired.trim() || null);
    const validity = `the new temporary password is valid for ${TEMPORARY_PASSWORD_VALIDITY_DAYS} days.${repaired}`;
    return {
      ...result('resent', `Invitation sent again; ${validity}`),
      summary: `Invitation sent again to ${email}; ${validity}`,
    };
  } catch (error) {
    const message = failureMessage(error);
    await log('failure', message);
    return result('failed', message);
  }
}

export interface ActivityPage {
  entries: ActivityEntry[];
  nextCursor?: string;
}

/** The activity log, newest first, optionally only what concerns one member. Full access only. */
export async function listActivity(
  actor: Actor,
  query: { member?: string; cursor?: string; limit?: number },
  context?: Pick<MembersContext, 'activity'>,
): Promise<ActivityPage> {
  assertFullAccess(actor);
  const activity = context?.activity ?? getMemberStores().activity;
  return activity.list({
    member: query.member?.trim().toLowerCase() || undefined,
    cursor: query.cursor,
    limit: query.limit ?? 50,
  });
}

/**
 * Adds an entry to the activity log (sign-in and sign-out use it too). Never throws: a log that
 * cannot be written must not undo or block what already happened; the failure goes to the server log.
 */
export async function recordActivity(
  entry: NewActivity,
  context?: Pick<MembersContext, 'activity'>,
): Promise<void> {
  try {
    await (context?.activity ?? getMemberStores().activity).record(entry);
  } catch (error) {
    console.error(
      `activity log: ${entry.action} by ${entry.actorEmail} not recorded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function record(ctx: MembersContext, entry: NewActivity): Promise<void> {
  return recordActivity({ at: ctx.cognito.now(), ...entry }, ctx);
}

export function failureMessage(error: unknown): string {
  if (isIdentityError(error, 'rate_limited')) {
    return 'Cognito is throttling requests right now. Try again in a minute.';
  }
  if (isIdentityError(error, 'unavailable')) return 'The identity service did not answer. Try again.';
  return reason(error);
}

/**
 * Runs `task` for each member, one at a time: each last-admin check sees the changes before it. The
 * actor goes last, so when everyone is selected it is the actor who keeps Full access. Results come
 * back in the order the caller gave the usernames.
 */
export async function oneAtATime(
  actor: Actor,
  usernames: readonly string[],
  task: (username: string) => Promise<ItemResult>,
): Promise<ItemResult[]> {
  const distinct = [...new Set(usernames)];
  const actorLast = [
    ...distinct.filter((u) => u !== actor.username),
    ...distinct.filter((u) => u === actor.username),
  ];
  const results: ItemResult[] = [];
  try {
    for (const username of actorLast) {
      try {
        results.push(await task(username));
      } catch (error) {
        // The team lease stayed taken: this member is left as they were, the others still go ahead.
        if (!(error instanceof TeamBusyError)) throw error;
        results.push({ key: username, email: username, outcome: 'failed', message: error.message });
      }
    }
  } finally {
    dropMemberAccessCache();
  }
  const byKey = new Map(results.map((r) => [r.key, r]));
  return distinct.map((u) => byKey.get(u)).filter((r): r is ItemResult => r !== undefined);
}
