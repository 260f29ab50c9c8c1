// CUSTOM_AUTH: the DefineAuthChallenge → CreateAuthChallenge → (answer) → VerifyAuthChallengeResponse →
// DefineAuthChallenge loop, with Cognito's event shapes. As in Cognito, the ClientMetadata of
// InitiateAuth reaches none of these triggers; that of RespondToAuthChallenge reaches all three.
import { incorrectCredentials, requiredSignedParameters, unknownUser } from './auth-client';
import { type AuthResponse, sessionUser, tokensResponse } from './auth-password';
import {
  type ChallengeRecord,
  consumeSession,
  createSession,
  peekSession,
  type SessionState,
} from './auth-sessions';
import type { ServiceContext } from './context';
import { invalidLambdaResponse, invalidParameter, invalidSession, userDisabled } from './errors';
import { type ClientRecord, findUser, type PoolRecord, type UserRecord, usernameKey } from './store';
import { issueTokens } from './tokens';
import { invokeTrigger, type TriggerEventBase, type TriggerKey } from './triggers';

// Cognito does not publish its limit on rounds in one custom-auth flow; this one is generous for real
// flows (a few retries) and stops a define trigger that never ends the loop.
export const MAX_CHALLENGE_ROUNDS = 8;

interface Subject {
  /** The user, or undefined when the name is unknown and the client hides user existence. */
  user: UserRecord | undefined;
  userName: string;
}

function commonEvent(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  subject: Subject,
  triggerSource: string,
): Omit<TriggerEventBase, 'request' | 'response'> {
  return {
    version: '1',
    region: ctx.region,
    userPoolId: pool.id,
    userName: subject.userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: client.clientId },
    triggerSource,
  };
}

/** request.userAttributes as Cognito fills it: sub, the attributes, and cognito:user_status. */
function userAttributes(user: UserRecord | undefined): Record<string, string> {
  if (!user) return {};
  return { sub: user.sub, ...user.attributes, 'cognito:user_status': user.status };
}

/** `userNotFound` is only part of the request when the client prevents user-existence errors. */
function notFoundFlag(client: ClientRecord, subject: Subject): { userNotFound?: boolean } {
  return client.config.PreventUserExistenceErrors === 'ENABLED'
    ? { userNotFound: subject.user === undefined }
    : {};
}

const metadataField = (clientMetadata: Record<string, string> | undefined) =>
  clientMetadata ? { clientMetadata } : {};

async function callTrigger(
  ctx: ServiceContext,
  pool: PoolRecord,
  key: TriggerKey,
  event: TriggerEventBase,
): Promise<Record<string, unknown>> {
  const result = await invokeTrigger(ctx, pool.config.LambdaConfig, key, event);
  if (!result) throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
  return result.response;
}

const isNullish = (value: unknown) => value === undefined || value === null;
const optionalBoolean = (value: unknown) => isNullish(value) || typeof value === 'boolean';

function stringMapOrEmpty(value: unknown): Record<string, string> {
  if (isNullish(value)) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidLambdaResponse();
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') throw invalidLambdaResponse();
    out[key] = item;
  }
  return out;
}

/** Runs DefineAuthChallenge on the history and acts on its decision: tokens, failure, or a new challenge. */
async function nextStep(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  subject: Subject,
  history: ChallengeRecord[],
  clientMetadata: Record<string, string> | undefined,
): Promise<AuthResponse> {
  const attributes = userAttributes(subject.user);
  const define = await callTrigger(ctx, pool, 'DefineAuthChallenge', {
    ...commonEvent(ctx, pool, client, subject, 'DefineAuthChallenge_Authentication'),
    request: {
      userAttributes: attributes,
      session: history,
      ...metadataField(clientMetadata),
      ...notFoundFlag(client, subject),
    },
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  });
  if (
    !optionalBoolean(define.issueTokens) ||
    !optionalBoolean(define.failAuthentication) ||
    !(isNullish(define.challengeName) || typeof define.challengeName === 'string')
  ) {
    throw invalidLambdaResponse();
  }
  if (define.failAuthentication === true) throw incorrectCredentials();
  if (define.issueTokens === true) {
    // A user that does not exist can never be signed in, whatever the trigger says.
    if (!subject.user) throw incorrectCredentials();
    return tokensResponse(await issueTokens(ctx, pool, client, subject.user));
  }
  if (define.challengeName !== 'CUSTOM_CHALLENGE') throw invalidLambdaResponse();
  if (history.length >= MAX_CHALLENGE_ROUNDS) throw incorrectCredentials();

  const create = await callTrigger(ctx, pool, 'CreateAuthChallenge', {
    ...commonEvent(ctx, pool, client, subject, 'CreateAuthChallenge_Authentication'),
    request: {
      userAttributes: attributes,
      challengeName: 'CUSTOM_CHALLENGE',
      session: history,
      ...metadataField(clientMetadata),
      ...notFoundFlag(client, subject),
    },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  const publicParameters = stringMapOrEmpty(create.publicChallengeParameters);
  const privateParameters = stringMapOrEmpty(create.privateChallengeParameters);
  if (!(isNullish(create.challengeMetadata) || typeof create.challengeMetadata === 'string')) {
    throw invalidLambdaResponse();
  }
  const state: SessionState = {
    challengeName: 'CUSTOM_CHALLENGE',
    username: subject.userName,
    sub: subject.user?.sub ?? null,
    userNotFound: subject.user === undefined,
    history,
    privateChallengeParameters: privateParameters,
    challengeMetadata: typeof create.challengeMetadata === 'string' ? create.challengeMetadata : null,
  };
  const session = createSession(ctx, pool, client, usernameKey(pool, subject.userName), state);
  return {
    ChallengeName: 'CUSTOM_CHALLENGE',
    Session: session,
    ChallengeParameters: { ...publicParameters, USERNAME: subject.userName },
  };
}

/** InitiateAuth / AdminInitiateAuth with CUSTOM_AUTH. */
export async function startCustomAuth(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string> | undefined,
): Promise<AuthResponse> {
  const { USERNAME: username } = requiredSignedParameters(client, params, []);
  if (!pool.config.LambdaConfig?.DefineAuthChallenge) {
    throw invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
  }
  const user = findUser(ctx, pool, username);
  if (!user && client.config.PreventUserExistenceErrors !== 'ENABLED') throw unknownUser(client);
  if (user && !user.enabled) throw userDisabled();
  // Deliberately no ClientMetadata here: Cognito does not pass InitiateAuth's to the challenge triggers.
  return nextStep(ctx, pool, client, { user, userName: user?.username ?? username }, [], undefined);
}

/** RespondToAuthChallenge / AdminRespondToAuthChallenge with CUSTOM_CHALLENGE. */
export async function respondCustomChallenge(
  ctx: ServiceContext,
  pool: PoolRecord,
  client: ClientRecord,
  responses: Record<string, string> | undefined,
  session: unknown,
  clientMetadata: Record<string, string> | undefined,
): Promise<AuthResponse> {
  const { USERNAME: username, ANSWER: answer } = requiredSignedParameters(client, responses, ['ANSWER']);
  const peeked = peekSession(ctx, client, session);
  if (peeked.challengeName !== 'CUSTOM_CHALLENGE') throw invalidSession();
  let user: UserRecord | undefined;
  if (peeked.userNotFound) {
    if (usernameKey(pool, username) !== usernameKey(pool, peeked.username)) throw invalidSession();
  } else {
    user = sessionUser(ctx, pool, username, peeked);
    if (!user.enabled) throw userDisabled();
  }
  // Spent before any trigger runs: a second response with this Session cannot race this one.
  const state = consumeSession(ctx, client, session);
  const subject: Subject = { user, userName: state.username };

  const verify = await callTrigger(ctx, pool, 'VerifyAuthChallengeResponse', {
    ...commonEvent(ctx, pool, client, subject, 'VerifyAuthChallengeResponse_Authentication'),
    request: {
      userAttributes: userAttributes(user),
      privateChallengeParameters: state.privateChallengeParameters,
      challengeAnswer: answer,
      ...metadataField(clientMetadata),
      ...notFoundFlag(client, subject),
    },
    response: { answerCorrect: null },
  });
  if (typeof verify.answerCorrect !== 'boolean') throw invalidLambdaResponse();
  const history: ChallengeRecord[] = [
    ...state.history,
    {
      challengeName: 'CUSTOM_CHALLENGE',
      challengeResult: verify.answerCorrect && user !== undefined,
      challengeMetadata: state.challengeMetadata,
    },
  ];
  return nextStep(ctx, pool, client, subject, history, clientMetadata);
}
