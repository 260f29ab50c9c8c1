import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import type { ChallengeStore } from '@/server/challenges';
import { hashSecret, isSecretShaped, safeEqual } from '@/server/challenges/links';
import { linkActionOf } from './protocol';

export interface VerifyAuthChallengeDeps {
  challenges: ChallengeStore;
  now: () => number;
}

/**
 * Cognito calls this with the caller's ANSWER; `answerCorrect` decides the round. A link's secret is
 * spent here whatever the outcome, atomically, so of two concurrent uses exactly one signs in.
 */
export function createVerifyAuthChallenge(deps: VerifyAuthChallengeDeps) {
  return async (
    event: VerifyAuthChallengeResponseTriggerEvent,
  ): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
    event.response = { answerCorrect: false };
    const { userNotFound, clientMetadata, challengeAnswer, userAttributes } = event.request;
    // A "request a link" response is not an answer; anything not shaped like a secret is not one either.
    if (userNotFound || linkActionOf(clientMetadata) !== 'ANSWER') return event;
    if (typeof challengeAnswer !== 'string' || !isSecretShaped(challengeAnswer)) return event;

    const result = await deps.challenges.consume(hashSecret(challengeAnswer), event.userName, deps.now());
    if (!result.consumed) return event;
    // A link mailed to an address the member no longer has does not sign them in.
    const current = (userAttributes.email ?? '').toLowerCase();
    event.response.answerCorrect = safeEqual(result.email.toLowerCase(), current);
    return event;
  };
}
