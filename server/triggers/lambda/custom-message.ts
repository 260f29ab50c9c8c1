// Lambda entry point: amplify-login-custom-message-<shortCode>.
import type { CustomMessageTriggerEvent, CustomMessageTriggerHandler } from 'aws-lambda';
import { lambdaTrigger } from './handlers';

const run = lambdaTrigger('custom-message');

export const handler: CustomMessageTriggerHandler = async (event) =>
  (await run(event)) as CustomMessageTriggerEvent;
