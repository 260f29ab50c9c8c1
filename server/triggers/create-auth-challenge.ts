import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda';
import type { ChallengeStore } from '@/server/challenges';
import { issueSignInLink, LINK_TTL_MS } from '@/server/challenges/links';
import { renderSignInLinkEmail } from '@/server/mail/templates/sign-in-link';
import type { Mailer } from '@/server/mail/types';
import { linkActionOf } from './protocol';

// Invitees who have not accepted yet (FORCE_CHANGE_PASSWORD) get no link: the invitation, with its
// expiry, is their way in. (The operator's CLI link is minted directly and is the one exception.)
const LINK_STATUSES = new Set(['CONFIRMED', 'RESET_REQUIRED', 'EXTERNAL_PROVIDER']);

export interface CreateAuthChallengeDeps {
  publicUrl: string;
  productName: string;
  mailer: Mailer;
  challenges: ChallengeStore;
  now: () => number;
}

/**
 * Cognito calls this to create each CUSTOM_CHALLENGE. The first round gets no ClientMetadata, so it
 * sends nothing and lets the caller say what it wants; a round created after a "request a link"
 * response mints and mails the link. The challenge parameters are always empty: nothing in Cognito's
 * response tells a caller whether the address belongs to a member or whether a mail went out.
 */
export function createCreateAuthChallenge(deps: CreateAuthChallengeDeps) {
  return async (event: CreateAuthChallengeTriggerEvent): Promise<CreateAuthChallengeTriggerEvent> => {
    event.response = {
      publicChallengeParameters: {},
      privateChallengeParameters: {},
      challengeMetadata: 'MAGIC_LINK',
    };
    const { userNotFound, clientMetadata, userAttributes } = event.request;
    if (userNotFound || linkActionOf(clientMetadata) !== 'REQUEST') return event;

    const email = userAttributes.email;
    if (!email || !LINK_STATUSES.has(userAttributes['cognito:user_status'] ?? 'CONFIRMED')) return event;
    const link = await issueSignInLink(
      deps.challenges,
      { username: event.userName, email },
      { publicUrl: deps.publicUrl, now: deps.now() },
    );
    // Undefined: a link went out less than a minute ago, or five in the last hour. Say nothing
    // different; send nothing.
    if (!link) return event;

    const message = renderSignInLinkEmail({
      productName: deps.productName,
      email,
      url: link.url,
      expiresAt: link.expiresAt,
      ttlMinutes: LINK_TTL_MS / 60_000,
    });
    try {
      await deps.mailer.send({ to: email, ...message, kind: 'sign-in-link' });
    } catch (error) {
      // A link nobody received must not stay live; the member can ask again after the interval.
      await deps.challenges.invalidate(event.userName, deps.now());
      throw error;
    }
    return event;
  };
}
