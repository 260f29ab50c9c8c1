import 'server-only';
import { after } from 'next/server';
import type { ChallengeStore } from '@/server/challenges';
import { getChallengeStore } from '@/server/challenges/store';
import { type AuthClientContext, getAuthClientContext } from '@/server/cognito/auth';
import { recordActivity } from '@/server/members';
import { createSignInLimits, type SignInLimits } from './limits';

/** A sign-in that was refused for a member the console could name (shown in the activity log). */
export interface FailedSignIn {
  email: string;
  /** 'Sign-in link' or 'Invitation'. */
  how: string;
  /** Why, in a sentence. */
  reason: string;
}

/** Everything the sign-in rules use; tests build their own against an embedded service. */
export interface SignInContext extends AuthClientContext {
  challenges: ChallengeStore;
  limits: SignInLimits;
  /** Takes note of a refused sign-in without delaying the answer. */
  failures: { record(failure: FailedSignIn): void };
}

// One set of counters per process (see ./limits).
const limits = createSignInLimits();

/** This process's per-client and per-address counters. */
export function getSignInLimits(): SignInLimits {
  return limits;
}

export async function getSignInContext(): Promise<SignInContext> {
  return {
    ...(await getAuthClientContext()),
    challenges: getChallengeStore(),
    limits,
    failures: { record: recordAfterResponse },
  };
}

/** The activity log write happens after the response: a member's answer takes no longer than a stranger's. */
function recordAfterResponse(failure: FailedSignIn): void {
  after(() =>
    recordActivity({
      actorEmail: failure.email,
      action: 'failed-sign-in',
      targetEmail: null,
      detail: failure.how,
      outcome: 'failure',
      message: failure.reason,
    }),
  );
}
