import 'server-only';
import { strongestLevel } from '@/lib/access-levels';
import type { ChallengeStore } from '@/server/challenges';
import { issueSignInLink } from '@/server/challenges/links';
import { type CognitoContext, getCognitoContext } from '@/server/cognito/client';
import { findMemberRecordByEmail, getAccessLevels } from '@/server/cognito/members';
import { defaultRetryPolicy, type RetryPolicy, withThrottleRetry } from '@/server/cognito/throttle';

// The operator's way in (Amplify Studio's "Launch Studio"): a one-time link minted straight into the
// challenge store by someone with access to this machine, for an existing Full-access member. It is
// the same kind of link the email carries, and is spent the same way.

export class OperatorLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OperatorLinkError';
  }
}

export interface OperatorLinkDeps {
  challenges: ChallengeStore;
  publicUrl: string;
  cognito?: CognitoContext;
  /** Throttled Cognito calls are tried again (the console's policy by default). */
  retry?: RetryPolicy;
  now?: () => number;
}

export interface OperatorLink {
  email: string;
  url: string;
  expiresAt: number;
}

export async function mintOperatorSignInLink(email: string, deps: OperatorLinkDeps): Promise<OperatorLink> {
  const cognito = deps.cognito ?? (await getCognitoContext());
  const retry = deps.retry ?? defaultRetryPolicy;
  const address = email.trim();
  const member = address
    ? await withThrottleRetry(() => findMemberRecordByEmail(cognito, address), retry)
    : null;
  if (!member?.username) throw new OperatorLinkError(`${email} is not a member of this team.`);
  if (!member.enabled) throw new OperatorLinkError(`${member.email} is disabled; enable the member first.`);
  const levels = await withThrottleRetry(() => getAccessLevels(cognito, member.username), retry);
  if (strongestLevel(levels) !== 'full') {
    throw new OperatorLinkError(
      `${member.email} does not have Full access; only Full-access members get an operator link.`,
    );
  }
  const link = await issueSignInLink(
    deps.challenges,
    { username: member.username, email: member.email },
    { publicUrl: deps.publicUrl, now: (deps.now ?? Date.now)(), channel: 'operator' },
  );
  // Operator links are never refused, so a link always comes back.
  if (!link) throw new OperatorLinkError('The challenge store refused the link.');
  return { email: member.email, url: link.url, expiresAt: link.expiresAt };
}
