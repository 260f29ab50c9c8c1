import type { ServiceContext } from './context';
import { CognitoError, invalidLambdaResponse } from './errors';

/** The LambdaConfig keys the service invokes, with the name Cognito uses for them in error messages. */
export type TriggerKey =
  | 'PreSignUp'
  | 'CustomMessage'
  | 'DefineAuthChallenge'
  | 'CreateAuthChallenge'
  | 'VerifyAuthChallengeResponse'
  | 'PreAuthentication'
  | 'PostAuthentication'
  | 'PreTokenGeneration';

export type LambdaConfig = Partial<Record<TriggerKey, string>> & Record<string, unknown>;

/** `arn:aws:lambda:us-east-1:000000000000:function:NAME[:qualifier]` or a bare NAME → NAME. */
export function functionNameOf(arnOrName: string): string {
  const match = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(arnOrName);
  return match ? match[1]! : arnOrName;
}

export interface TriggerEventBase {
  version: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  triggerSource: string;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

/**
 * Calls the pool's trigger for `key`, as Cognito does: returns the handler's event (with its
 * response), or undefined when the pool has no such trigger. A handler that throws fails the call
 * with UserLambdaValidationException ("<Trigger> failed with error <message>."); one that returns
 * something that is not an event fails it with InvalidLambdaResponseException.
 */
export async function invokeTrigger<E extends TriggerEventBase>(
  ctx: ServiceContext,
  lambdaConfig: LambdaConfig | undefined,
  key: TriggerKey,
  event: E,
): Promise<E | undefined> {
  const target = lambdaConfig?.[key];
  if (typeof target !== 'string' || target === '') return undefined;
  const name = functionNameOf(target);
  const handler = ctx.lambda(name);
  if (!handler) {
    throw new CognitoError(
      'UnexpectedLambdaException',
      `${key} invocation failed due to error ResourceNotFoundException: Function not found: ${target}`,
    );
  }
  // The handler gets its own copy: a handler that keeps and mutates the event cannot reach us later.
  let result: unknown;
  try {
    result = await handler(structuredClone(event));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CognitoError('UserLambdaValidationException', `${key} failed with error ${message}.`);
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) throw invalidLambdaResponse();
  const response = (result as { response?: unknown }).response;
  if (response === null || typeof response !== 'object' || Array.isArray(response)) {
    throw invalidLambdaResponse();
  }
  return result as E;
}
