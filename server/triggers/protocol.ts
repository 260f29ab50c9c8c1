// What the sign-in code (server/cognito/auth.ts) and the triggers agree on. Cognito passes the
// ClientMetadata of (Admin)RespondToAuthChallenge to all three challenge triggers, but not that of
// (Admin)InitiateAuth, so the first round only opens a session and every decision rides on the
// responses that follow (the shape of AWS's passwordless sample).

/** ClientMetadata keys and values on AdminRespondToAuthChallenge. */
export const SIGN_IN_METHOD_KEY = 'signInMethod';
export const SIGN_IN_METHOD = 'MAGIC_LINK';
export const LINK_ACTION_KEY = 'linkAction';
/** REQUEST: "mail me a link" (the answer is a placeholder); ANSWER: the answer is a link's secret. */
export type LinkAction = 'REQUEST' | 'ANSWER';

/** Cognito insists on a non-empty ANSWER even when the response only requests a link. */
export const REQUEST_PLACEHOLDER_ANSWER = '__request_link__';

/** Rounds one auth session may take: open, request (and a spare); the answer must come within them. */
export const MAX_ROUNDS = 3;

export function linkMetadata(action: LinkAction): Record<string, string> {
  return { [SIGN_IN_METHOD_KEY]: SIGN_IN_METHOD, [LINK_ACTION_KEY]: action };
}

export function linkActionOf(clientMetadata: Record<string, string> | undefined): LinkAction | undefined {
  if (clientMetadata?.[SIGN_IN_METHOD_KEY] !== SIGN_IN_METHOD) return undefined;
  const action = clientMetadata[LINK_ACTION_KEY];
  return action === 'REQUEST' || action === 'ANSWER' ? action : undefined;
}

/** ClientMetadata keys on AdminCreateUser, read by the custom-message trigger for the invitation. */
export const INVITED_BY_KEY = 'invitedBy';
export const ACCESS_LEVEL_KEY = 'accessLevel';

export function invitationMetadata(
  invitedBy: string,
  accessLevel: 'full' | 'manage',
): Record<string, string> {
  return { [INVITED_BY_KEY]: invitedBy, [ACCESS_LEVEL_KEY]: accessLevel };
}
