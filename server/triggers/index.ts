import type {
  CreateAuthChallengeTriggerEvent,
  CustomMessageTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';
import type { ChallengeStore } from '@/server/challenges';
import type { Mailer } from '@/server/mail/types';
import { createCreateAuthChallenge } from './create-auth-challenge';
import { createCustomMessage } from './custom-message';
import { defineAuthChallenge } from './define-auth-challenge';
import { createVerifyAuthChallenge } from './verify-auth-challenge';

export interface TriggerDeps {
  publicUrl: string;
  productName: string;
  mailer: Mailer;
  challenges: ChallengeStore;
  now?: () => number;
  /** The pool's TemporaryPasswordValidityDays, for the date in the invitation (default 7). */
  temporaryPasswordValidityDays?: number;
}

export type TriggerKind =
  | 'create-auth-challenge'
  | 'custom-message'
  | 'define-auth-challenge'
  | 'verify-auth-challenge';

type TriggerHandler = (event: unknown) => Promise<unknown>;

/**
 * The four triggers built from their dependencies, taking Cognito's event as `unknown` (the embedded
 * service and Lambda both hand over parsed JSON) and refusing an event of the wrong kind.
 */
export function createTriggerHandlers(deps: TriggerDeps): Record<TriggerKind, TriggerHandler> {
  const now = deps.now ?? Date.now;
  const create = createCreateAuthChallenge({ ...deps, now });
  const verify = createVerifyAuthChallenge({ challenges: deps.challenges, now });
  const customMessage = createCustomMessage({ ...deps, now });
  return {
    'define-auth-challenge': async (event) =>
      defineAuthChallenge(
        expectEvent<DefineAuthChallengeTriggerEvent>(event, /^DefineAuthChallenge_/, ['session']),
      ),
    'create-auth-challenge': async (event) =>
      create(expectEvent<CreateAuthChallengeTriggerEvent>(event, /^CreateAuthChallenge_/, ['session'])),
    'verify-auth-challenge': async (event) =>
      verify(
        expectEvent<VerifyAuthChallengeResponseTriggerEvent>(event, /^VerifyAuthChallengeResponse_/, []),
      ),
    'custom-message': async (event) =>
      customMessage(expectEvent<CustomMessageTriggerEvent>(event, /^CustomMessage_/, [])),
  };
}

/** Checks the parts of an event the handlers rely on, so a malformed one fails loudly, not halfway. */
function expectEvent<E>(event: unknown, source: RegExp, arrays: string[]): E {
  if (event === null || typeof event !== 'object') throw new Error('Trigger event must be an object');
  const { triggerSource, userName, request } = event as Record<string, unknown>;
  if (typeof triggerSource !== 'string' || !source.test(triggerSource)) {
    throw new Error(`Unexpected trigger source ${JSON.stringify(triggerSource)}`);
  }
  if (typeof userName !== 'string') throw new Error('Trigger event has no userName');
  if (request === null || typeof request !== 'object') throw new Error('Trigger event has no request');
  const fields = request as Record<string, unknown>;
  if (fields.userAttributes === null || typeof fields.userAttributes !== 'object') {
    throw new Error('Trigger event has no request.userAttributes');
  }
  for (const name of arrays) {
    if (!Array.isArray(fields[name])) throw new Error(`Trigger event has no request.${name}`);
  }
  return event as E;
}
