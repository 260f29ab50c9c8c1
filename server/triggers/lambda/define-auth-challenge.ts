// Lambda entry point: amplify-login-define-auth-challenge-<shortCode>.
import type { DefineAuthChallengeTriggerEvent, DefineAuthChallengeTriggerHandler } from 'aws-lambda';
import { lambdaTrigger } from './handlers';

const run = lambdaTrigger('define-auth-challenge');

export const handler: DefineAuthChallengeTriggerHandler = async (event) =>
  (await run(event)) as DefineAuthChallengeTriggerEvent;
