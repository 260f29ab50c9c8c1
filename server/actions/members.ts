'use server';

import { revalidatePath } from 'next/cache';
import { forbidden } from 'next/navigation';
import { z } from 'zod';
import type { ActionState, ItemResult } from '@/lib/action-state';
import {
  deleteMembersSchema,
  editMembersSchema,
  fixAccessLevelSchema,
  inviteSchema,
  resendInviteSchema,
} from '@/lib/member-schemas';
import { requireFullAccess, verifySameOrigin } from '@/server/auth/dal';
import {
  changeAccessLevel,
  disableMembers,
  enableMembers,
  fixAccessLevel,
  inviteMembers,
  isMembersError,
  removeMembers,
  resendInvites,
} from '@/server/members';

// Thin, one shape: origin → Full access (403 for anyone else, whatever the client sends) → schema →
// the member rules → revalidate → ActionState with a result per email or member. Only the named form
// fields are read; anything else in the form is ignored.

// Disable and Enable take the same selection of members as Delete.
const memberSelectionSchema = deleteMembersSchema;

const ACCESS_PATH = '/settings/access';
const ACTIVITY_PATH = '/settings/activity';

type Session = Awaited<ReturnType<typeof requireFullAccess>>;

/** Authorizes, runs `work`, and turns a refusal by the rules into 403 and any other failure into a message. */
async function run(work: (actor: Session) => Promise<ActionState>): Promise<ActionState> {
  await verifySameOrigin();
  const actor = await requireFullAccess();
  let state: ActionState;
  try {
    state = await work(actor);
  } catch (error) {
    if (isMembersError(error, 'forbidden')) forbidden();
    console.error(`members action failed: ${error instanceof Error ? error.message : String(error)}`);
    return {
      status: 'error',
      message: 'The identity service did not answer. Nothing was changed; try again.',
    };
  }
  revalidatePath(ACCESS_PATH);
  revalidatePath(ACTIVITY_PATH);
  return state;
}

function invalid<Field extends string>(error: z.ZodError, fallback: string): ActionState<Field> {
  const fieldErrors = z.flattenError(error).fieldErrors as Partial<Record<Field, string[]>>;
  const first = Object.values<string[] | undefined>(fieldErrors).find((messages) => messages?.length)?.[0];
  return { status: 'error', message: first ?? fallback, fieldErrors };
}

const OUTCOME_PHRASES: Record<ItemResult['outcome'], [string, string]> = {
  invited: ['invited', 'invited'],
  'already-member': ['already a member', 'already members'],
  invalid: ['invalid address', 'invalid addresses'],
  failed: ['failed', 'failed'],
  updated: ['updated', 'updated'],
  unchanged: ['unchanged', 'unchanged'],
  deleted: ['deleted', 'deleted'],
  resent: ['invitation resent', 'invitations resent'],
  disabled: ['disabled', 'disabled'],
  enabled: ['enabled', 'enabled'],
  refused: ['refused', 'refused'],
};

/** "3 invited, 1 already a member, 1 invalid address." and success unless nothing succeeded. */
function summarize(results: ItemResult[], succeeded: ItemResult['outcome'][]): ActionState {
  const counts = new Map<ItemResult['outcome'], number>();
  for (const result of results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, count]) => {
    const [one, many] = OUTCOME_PHRASES[outcome];
    return `${count} ${count === 1 ? one : many}`;
  });
  const sentence = parts.join(', ');
  const message = sentence ? `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.` : 'Nothing to do.';
  const anySuccess = results.some((r) => succeeded.includes(r.outcome));
  // One result reads best as one sentence: what changed for whom, or the refusal's own reason.
  const only = results.length === 1 ? results[0] : undefined;
  const single = only && (succeeded.includes(only.outcome) ? only.summary : only.message);
  return {
    status: anySuccess || results.length === 0 ? 'success' : 'error',
    message: single ?? message,
    results,
  };
}

/** "Send invite": up to 500 addresses (the page sends 20 at a time to show progress). */
export async function inviteMembersAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return run(async (actor) => {
    const parsed = inviteSchema.safeParse({
      emails: formData.get('emails') ?? undefined,
      accessLevel: formData.get('accessLevel') ?? undefined,
    });
    if (!parsed.success) return invalid(parsed.error, 'Check the email addresses and the access level.');
    const { emails, invalid: notEmails } = parsed.data.emails;
    const results = [
      ...(await inviteMembers(actor, emails, parsed.data.accessLevel)),
      ...notEmails.map(
        (text): ItemResult => ({
          key: text,
          email: text,
          outcome: 'invalid',
          message: 'This is not a valid email address.',
        }),
      ),
    ];
    return summarize(results, ['invited']);
  });
}

/** "Edit team member(s)" → Save. */
export async function editMembersAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return run(async (actor) => {
    const parsed = editMembersSchema.safeParse({
      usernames: formData.getAll('username'),
      accessLevel: formData.get('accessLevel') ?? undefined,
    });
    if (!parsed.success) return invalid(parsed.error, 'Choose the members and an access level.');
    const results = await changeAccessLevel(actor, parsed.data.usernames, parsed.data.accessLevel);
    return summarize(results, ['updated', 'unchanged']);
  });
}

/** "Delete users" → Delete. */
export async function deleteMembersAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return run(async (actor) => {
    const parsed = deleteMembersSchema.safeParse({ usernames: formData.getAll('username') });
    if (!parsed.success) return invalid(parsed.error, 'Select the members to delete.');
    const results = await removeMembers(actor, parsed.data.usernames);
    return summarize(results, ['deleted', 'unchanged']);
  });
}

/** "Disable": the members' sessions end on their next request and their sign-in links stop working. */
export async function disableMembersAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return run(async (actor) => {
    const parsed = memberSelectionSchema.safeParse({ usernames: formData.getAll('username') });
    if (!parsed.success) return invalid(parsed.error, 'Select the members to disable.');
    const results = await disableMembers(actor, parsed.data.usernames);
    return summarize(results, ['disabled', 'unchanged']);
  });
}

/** "Enable": disabled members may sign in again, at the level they held. */
export async function enableMembersAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return run(async (actor) => {
    const parsed = memberSelectionSchema.safeParse({ usernames: formData.getAll('username') });
    if (!parsed.success) return invalid(parsed.error, 'Select the members to enable.');
    const results = await enableMembers(actor, parsed.data.usernames);
    return summarize(results, ['enabled', 'unchanged']);
  });
}

/** "Resend invite" for Pending and Expired members. */
export async function resendInviteAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return run(async (actor) => {
    const parsed = resendInviteSchema.safeParse({ usernames: formData.getAll('username') });
    if (!parsed.success) return invalid(parsed.error, 'Select the members to invite again.');
    const results = await resendInvites(actor, parsed.data.usernames);
    return summarize(results, ['resent']);
  });
}

/** The one-click fix for "No access level". */
export async function fixAccessLevelAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return run(async (actor) => {
    const parsed = fixAccessLevelSchema.safeParse({
      username: formData.get('username') ?? undefined,
      accessLevel: formData.get('accessLevel') ?? undefined,
    });
    if (!parsed.success) return invalid(parsed.error, 'Choose an access level.');
    const result = await fixAccessLevel(actor, parsed.data.username, parsed.data.accessLevel);
    return summarize([result], ['updated', 'unchanged']);
  });
}
