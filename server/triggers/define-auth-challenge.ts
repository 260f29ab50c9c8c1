import type { DefineAuthChallengeTriggerEvent } from 'aws-lambda';
import { linkActionOf, MAX_ROUNDS } from './protocol';

/**
 * Cognito calls this before every round of a CUSTOM_AUTH session with the results so far; it answers
 * with the next challenge, tokens, or failure. A link gets one try: a wrong answer ends the session.
 */
export async function defineAuthChallenge(
  event: DefineAuthChallengeTriggerEvent,
): Promise<DefineAuthChallengeTriggerEvent> {
  const { session, userNotFound, clientMetadata } = event.request;
  const fail = () => {
    event.response = { failAuthentication: true, issueTokens: false };
    return event;
  };
  const challenge = () => {
    event.response = { challengeName: 'CUSTOM_CHALLENGE', failAuthentication: false, issueTokens: false };
    return event;
  };

  if (userNotFound) return fail();
  // Only custom challenges belong in this flow (no SRP or password rounds before them).
  if (session.some((round) => round.challengeName !== 'CUSTOM_CHALLENGE')) return fail();
  if (session.length === 0) return challenge();

  const last = session.at(-1)!;
  if (last.challengeResult === true) {
    event.response = { failAuthentication: false, issueTokens: true };
    return event;
  }
  // The last response was not a correct answer. That is expected when it asked for a link (a new
  // challenge follows, whose creation mails the link); for an answer it is the end of the session.
  if (linkActionOf(clientMetadata) === 'REQUEST' && session.length < MAX_ROUNDS) return challenge();
  return fail();
}
