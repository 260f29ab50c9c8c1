'use server';

import { revalidatePath } from 'next/cache';
import { forbidden } from 'next/navigation';
import type { ActionState } from '@/lib/action-state';
import { requireFullAccess, requireMember, verifySameOrigin } from '@/server/auth/dal';
import { isMembersError } from '@/server/members';
import { CredentialsError, issueAwsCredentials, repairFromConsole } from '@/server/studio/console';

// The Studio settings page's actions: origin → level (the data access layer, then the lifecycle
// checks it again) → the lifecycle → revalidate → one ActionState.

const SETTINGS_PATH = '/settings';
const ACTIVITY_PATH = '/settings/activity';

/** doctor --repair for Full-access members: one outcome per resource, each in the activity log. */
export async function repairStudioAction(_previous: ActionState, _form: FormData): Promise<ActionState> {
  await verifySameOrigin();
  const actor = await requireFullAccess();
  try {
    const { outcomes, report } = await repairFromConsole(actor);
    revalidatePath(SETTINGS_PATH);
    revalidatePath(ACTIVITY_PATH);
    const failed = outcomes.filter((item) => item.outcome === 'failed').length;
    const left = report.findings.length;
    return {
      status: failed > 0 || outcomes.length === 0 ? 'error' : 'success',
      message:
        outcomes.length === 0
          ? 'Nothing could be repaired here.'
          : `${outcomes.length - failed} repaired${failed > 0 ? `, ${failed} failed` : ''}. ${left === 0 ? 'Studio is healthy.' : `${left} problem${left === 1 ? '' : 's'} left.`}`,
      repairs: outcomes,
    };
  } catch (error) {
    if (isMembersError(error, 'forbidden')) forbidden();
    console.error(`studio repair failed: ${error instanceof Error ? error.message : String(error)}`);
    return {
      status: 'error',
      message: 'The identity service did not answer. Nothing was repaired; try again.',
    };
  }
}

/** Temporary AWS credentials for the signed-in member's access level. */
export async function awsCredentialsAction(_previous: ActionState, _form: FormData): Promise<ActionState> {
  await verifySameOrigin();
  const session = await requireMember();
  try {
    const credentials = await issueAwsCredentials(session);
    revalidatePath(ACTIVITY_PATH);
    return { status: 'success', message: 'Here are your credentials. They are shown once.', credentials };
  } catch (error) {
    if (error instanceof CredentialsError) return { status: 'error', message: error.message };
    console.error(`aws credentials failed: ${error instanceof Error ? error.message : String(error)}`);
    return { status: 'error', message: 'The identity service did not answer. Try again in a moment.' };
  }
}
