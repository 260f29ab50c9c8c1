import 'server-only';
import type { AccessLevel } from '@/lib/access-levels';
import type { AwsCredentialsView, RepairOutcome, StudioReport } from '@/lib/studio';
import { getAuthClientContext, initiateAuth } from '@/server/cognito/auth';
import { IdentityError } from '@/server/cognito/errors';
import { readGroup } from '@/server/cognito/pool-state';
import type { Actor } from '@/server/members/context';
import { assertFullAccess } from '@/server/members/errors';
import { getStudioRuntime } from '@/server/runtime';
import { inspectAndJudge, repairStudio } from './repair';

// The settings page's side of the lifecycle: the report and the repairs for Full-access members, and
// for every member the role their level maps to and credentials for it. Each function checks the
// caller's level itself, whatever the page or action checked before.

/** Status and doctor's findings, as `npm run studio -- status` / `doctor` print them. */
export async function getStudioReport(actor: Actor): Promise<StudioReport> {
  assertFullAccess(actor);
  return (await inspectAndJudge(getStudioRuntime().context)).report;
}

/** doctor --repair from the console, each repair in the activity log under the member's email. */
export async function repairFromConsole(
  actor: Actor,
): Promise<{ outcomes: RepairOutcome[]; report: StudioReport }> {
  assertFullAccess(actor);
  return repairStudio(getStudioRuntime().context, { actor: actor.email });
}

/** The IAM role the member's access level maps to: their group's RoleArn, or null when it has none. */
export async function getRoleOfLevel(level: AccessLevel): Promise<string | null> {
  const { client, poolId } = await getAuthClientContext();
  return (await readGroup(client, poolId, level))?.roleArn ?? null;
}

export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

/**
 * Temporary AWS credentials for the member's access level: a fresh ID token from the session's
 * refresh token (so it carries the groups they are in now: a demoted member gets the narrower role),
 * then GetId and GetCredentialsForIdentity with it. Logged; kept nowhere.
 */
export async function issueAwsCredentials(
  actor: Actor & { refreshToken: string | undefined },
): Promise<AwsCredentialsView> {
  if (!actor.refreshToken)
    throw new CredentialsError('This session cannot get credentials: sign out and sign in again.');
  const runtime = getStudioRuntime();
  const auth = await getAuthClientContext();
  let idToken: string | undefined;
  try {
    const refreshed = await initiateAuth(auth, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: actor.refreshToken });
    idToken = refreshed.AuthenticationResult?.IdToken;
  } catch (error) {
    if (error instanceof IdentityError && error.code === 'not_authorized') {
      throw new CredentialsError('Your sign-in has ended: sign in again to get credentials.');
    }
    throw error;
  }
  if (!idToken) throw new CredentialsError('Cognito returned no ID token: sign in again.');
  const activity = runtime.context.activity;
  try {
    const credentials = await runtime.credentials({ idToken, userPoolId: auth.poolId });
    await activity?.record({
      actorEmail: actor.email,
      action: 'aws-credentials',
      targetEmail: null,
      detail: credentials.roleArn.slice(credentials.roleArn.indexOf('/') + 1),
      outcome: 'success',
      message: `Valid until ${credentials.expiration}.`,
    });
    return credentials;
  } catch (error) {
    const message =
      error instanceof IdentityError && error.code === 'not_authorized'
        ? 'The identity pool refused your sign-in: your access level maps to no role it accepts. A Full-access member can check Studio settings.'
        : error instanceof IdentityError && error.code === 'not_found'
          ? 'Studio has no identity pool: a Full-access member can repair it on Studio settings.'
          : null;
    await activity?.record({
      actorEmail: actor.email,
      action: 'aws-credentials',
      targetEmail: null,
      detail: null,
      outcome: 'failure',
      message: message ?? (error instanceof Error ? error.message : String(error)),
    });
    if (message) throw new CredentialsError(message);
    throw error;
  }
}
