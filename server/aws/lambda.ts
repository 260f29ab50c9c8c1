import 'server-only';
import {
  AddPermissionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  type LambdaClient,
  type Runtime,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { cognitoCall, isIdentityError } from '@/server/cognito/errors';
import { type PolicyDocument, statementsOf } from './iam';

// The sign-in triggers as Lambda functions, for the Studio lifecycle in AWS mode: which runtime each
// runs on and whether the user pool may invoke it; the writes that repair those.

export interface FunctionState {
  name: string;
  arn: string;
  runtime: string | null;
  /** Whether the function's resource policy lets cognito-idp invoke it for the pool `poolArn`. */
  invokableByPool: boolean;
}

export async function readFunction(
  lambda: LambdaClient,
  name: string,
  poolArn: string | undefined,
): Promise<FunctionState | null> {
  let config: { FunctionArn?: string; Runtime?: string };
  try {
    config = await cognitoCall(() =>
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })),
    );
  } catch (error) {
    if (isIdentityError(error, 'not_found')) return null;
    throw error;
  }
  return {
    name,
    arn: config.FunctionArn ?? '',
    runtime: config.Runtime ?? null,
    invokableByPool: poolArn ? await poolMayInvoke(lambda, name, poolArn) : false,
  };
}

async function poolMayInvoke(lambda: LambdaClient, name: string, poolArn: string): Promise<boolean> {
  let policy: PolicyDocument;
  try {
    const answer = await cognitoCall(() => lambda.send(new GetPolicyCommand({ FunctionName: name })));
    policy = JSON.parse(answer.Policy ?? '{}') as PolicyDocument;
  } catch (error) {
    // No resource policy at all: nobody may invoke it.
    if (isIdentityError(error, 'not_found')) return false;
    throw error;
  }
  return statementsOf(policy).some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const principal = statement.Principal as { Service?: string | string[] } | string | undefined;
    const services = typeof principal === 'object' ? [principal.Service ?? []].flat() : [];
    if (!services.includes('cognito-idp.amazonaws.com')) return false;
    const actions = [statement.Action ?? []].flat();
    if (!actions.some((action) => action === 'lambda:InvokeFunction' || action === 'lambda:*')) return false;
    const sourceArn =
      statement.Condition?.ArnLike?.['AWS:SourceArn'] ?? statement.Condition?.ArnEquals?.['AWS:SourceArn'];
    // Without a source condition any pool may invoke it, this one included.
    return sourceArn === undefined || [sourceArn].flat().includes(poolArn);
  });
}

export async function setRuntime(lambda: LambdaClient, name: string, runtime: string): Promise<void> {
  await cognitoCall(() =>
    lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Runtime: runtime as Runtime,
      }),
    ),
  );
}

/** Lets the user pool `poolArn` (and no other) invoke the function, as the stack does. */
export async function allowPoolToInvoke(lambda: LambdaClient, name: string, poolArn: string): Promise<void> {
  const poolId = poolArn.slice(poolArn.lastIndexOf('/') + 1);
  try {
    await cognitoCall(() =>
      lambda.send(
        new AddPermissionCommand({
          FunctionName: name,
          StatementId: `studio-access-${poolId.replace(/[^A-Za-z0-9_-]/g, '-')}`,
          Action: 'lambda:InvokeFunction',
          Principal: 'cognito-idp.amazonaws.com',
          SourceArn: poolArn,
        }),
      ),
    );
  } catch (error) {
    // The statement is there already.
    if (!(isIdentityError(error) && error.source === 'ResourceConflictException')) throw error;
  }
}
