import type { Actor } from './context';

// What the member rules refuse outright (as opposed to per-member outcomes, which are ItemResults).

export type MembersErrorCode = 'forbidden';

export class MembersError extends Error {
  constructor(
    readonly code: MembersErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MembersError';
  }
}

export const FULL_ACCESS_REQUIRED_MESSAGE =
  'Only Full access members can add, edit or delete team members. Ask a Full access member of your team.';

/** Every write checks the level itself, whatever the caller checked before (defence in depth). */
export function assertFullAccess(actor: Actor): void {
  if (actor.accessLevel !== 'full') throw new MembersError('forbidden', FULL_ACCESS_REQUIRED_MESSAGE);
}

export function isMembersError(error: unknown, code?: MembersErrorCode): error is MembersError {
  return error instanceof MembersError && (code === undefined || error.code === code);
}
