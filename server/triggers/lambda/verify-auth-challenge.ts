// Lambda entry point: amplify-login-verify-auth-challenge-<shortCode>.
import type {
  VerifyAuthChallengeResponseTriggerEvent,
  VerifyAuthChallengeResponseTriggerHandler,
} from 'aws-lambda';
import { lambdaTrigger } from './handlers';

const run = lambdaTrigger('verify-auth-challenge');

export const handler: VerifyAuthChallengeResponseTriggerHandler = async (event) =>
  (await run(event)) as VerifyAuthChallengeResponseTriggerEvent;
