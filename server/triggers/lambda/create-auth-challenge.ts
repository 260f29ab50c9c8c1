// Lambda entry point: amplify-login-create-auth-challenge-<shortCode>.
import type { CreateAuthChallengeTriggerEvent, CreateAuthChallengeTriggerHandler } from 'aws-lambda';
import { lambdaTrigger } from './handlers';

const run = lambdaTrigger('create-auth-challenge');

export const handler: CreateAuthChallengeTriggerHandler = async (event) =>
  (await run(event)) as CreateAuthChallengeTriggerEvent;
