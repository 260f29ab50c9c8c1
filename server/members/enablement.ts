import 'server-only';
import { type AccessLevel, strongestLevel } from '@/lib/access-levels';
import type { ItemResult } from '@/lib/action-state';
import { dropMemberAccessCache } from '@/server/auth/member-cache';
import { isIdentityError } from '@/server/cognito/errors';
import { disableMember, enableMember, signOutEverywhere } from '@/server/cognito/member-admin';
import { getAccessLevels, getMemberRecord } from '@/server/cognito/members';
import { withThrottleRetry } from '@/server/cognito/throttle';
import { type Actor, getMembersContext, type MembersContext } from './context';
import { assertFullAccess } from './errors';
import { guardedFullAccessChange, levelText, reason, wouldLeaveNoFullAccess } from './rules';
import { endSessions, failureMessage, oneAtATime, record } from './service';

// Disable and Enable from the table. A disabled member keeps their account and level but can do
// nothing: their sessions end (the records are revoked, and the data access layer refuses disabled
// members anyway), their refresh tokens are revoked and their sign-in links are refused. Enable gives
// back the account and level; they sign in again for a new session.

export const LAST_FULL_ACCESS_DISABLE = "You can't disable the last Full access member.";

/** Disables each member, one at a time (each last-admin check sees the ones before it). */
export async function disableMembers(
  actor: Actor,
  usernames: readonly string[],
  context?: MembersContext,
): Promise<ItemResult[]> {
  assertFullAccess(actor);
  const ctx = context ?? (await getMembersContext());
  return oneAtATime(actor, usernames, (username) =>
    guardedFullAccessChange(ctx, () => setEnabled(ctx, actor, username, false)),
  );
}

/** Enables each member again, at the level they held. */
export async function enableMembers(
  actor: Actor,
  usernames: readonly string[],
  context?: MembersContext,
): Promise<ItemResult[]> {
  assertFullAccess(actor);
  const ctx = context ?? (await getMembersContext());
  return oneAtATime(actor, usernames, (username) => setEnabled(ctx, actor, username, true));
}

async function setEnabled(
  ctx: MembersContext,
  actor: Actor,
  username: string,
  enable: boolean,
): Promise<ItemResult> {
  let email = username;
  let level: AccessLevel | null = null;
  const action = enable ? 'enable' : 'disable';
  const log = (outcome: 'success' | 'failure', message: string | null) =>
    record(ctx, {
      actorEmail: actor.email,
      action,
      targetEmail: email,
      detail: levelText(level),
      outcome,
      message,
    });
  const result = (outcome: ItemResult['outcome'], message: string, summary?: string): ItemResult => ({
    key: username,
    email,
    outcome,
    message,
    ...(summary ? { summary } : {}),
  });

  try {
    const member = await withThrottleRetry(() => getMemberRecord(ctx.cognito, username), ctx.retry);
    if (!member) return result('failed', 'No longer a member of this team.');
    email = member.email;
    const levels = await withThrottleRetry(() => getAccessLevels(ctx.cognito, username), ctx.retry);
    level = strongestLevel(levels);

    if (member.enabled === enable) {
      const message = enable ? 'Already enabled.' : 'Already disabled.';
      return result('unchanged', message, `${email} is already ${enable ? 'enabled' : 'disabled'}.`);
    }

    if (enable) {
      await withThrottleRetry(() => enableMember(ctx.cognito, username), ctx.retry);
      dropMemberAccessCache();
      await log('success', null);
      const at = level ? ` with ${levelText(level)}` : ', but with no access level: use Fix';
      return result('enabled', `Enabled again${at}.`, `${email} is enabled again${at}.`);
    }

    if (await wouldLeaveNoFullAccess(ctx.cognito, member, levels)) {
      await log('failure', LAST_FULL_ACCESS_DISABLE);
      return result('refused', LAST_FULL_ACCESS_DISABLE);
    }
    await withThrottleRetry(() => disableMember(ctx.cognito, username), ctx.retry);
    dropMemberAccessCache();
    await endSessions(ctx, username);
    try {
      await withThrottleRetry(() => signOutEverywhere(ctx.cognito, username), ctx.retry);
    } catch (error) {
      // Disabled already: the data access layer refuses them whatever their tokens say.
      if (!isIdentityError(error, 'member_not_found')) {
        console.error(`disable: ${email} not signed out of Cognito: ${reason(error)}`);
      }
    }
    await log('success', null);
    const self = username === actor.username;
    const message = self
      ? 'You disabled yourself: you will be signed out.'
      : 'Disabled: signed out, and their sign-in links no longer work.';
    const summary = self
      ? `You (${email}) are disabled and will be signed out.`
      : `${email} is disabled: signed out, and their sign-in links no longer work.`;
    return result('disabled', message, summary);
  } catch (error) {
    const message = failureMessage(error);
    await log('failure', message);
    return result('failed', message);
  }
}
