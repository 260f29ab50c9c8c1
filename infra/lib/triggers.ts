import path from 'node:path';
import {
  Duration,
  type aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type TriggerKind, triggerFunctionName } from '../../server/cognito/resources';
import type { StackConfig } from './config';

// The four sign-in triggers, bundled from server/triggers/lambda/ by the local esbuild (no Docker),
// each with only the permissions it needs.

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Runtime of the triggers (and the bundle's target): the newest Node.js LTS that Lambda runs. */
export const TRIGGER_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Cognito waits at most 5 seconds for a trigger. */
const TRIGGER_TIMEOUT = Duration.seconds(5);

/**
 * The challenge store (server/challenges/dynamodb.ts) on the base table: reads and conditional
 * puts and updates (consume-once is a conditional update); no delete, no index, no query.
 */
export const CHALLENGE_TABLE_ACTIONS = ['GetItem', 'PutItem', 'UpdateItem'].map(
  (action) => `dynamodb:${action}`,
);

export type SignInTriggers = Record<TriggerKind, nodejs.NodejsFunction>;

/** A Node.js function bundled from the project's source by the local esbuild, configured as the triggers are. */
export function bundledFunction(
  scope: Construct,
  id: string,
  props: {
    functionName: string;
    description: string;
    entry: string;
    config: StackConfig;
    table: dynamodb.ITable;
  },
): nodejs.NodejsFunction {
  return new nodejs.NodejsFunction(scope, id, {
    functionName: props.functionName,
    description: props.description,
    entry: path.join(PROJECT_ROOT, props.entry),
    handler: 'handler',
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
    runtime: TRIGGER_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: TRIGGER_TIMEOUT,
    // What loadTriggerEnv (server/env.ts) reads; region and credentials come from Lambda.
    environment: {
      STUDIO_TABLE: props.table.tableName,
      PUBLIC_URL: props.config.publicUrl,
      MAIL_FROM: props.config.mailFrom,
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: {
      forceDockerBundling: false,
      // Bundle the SDK too: the versions tested here, not whatever the runtime carries.
      externalModules: [],
      target: 'node24',
      minify: true,
      sourceMap: true,
      tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
      // `server-only` resolves to its empty module under the react-server condition.
      esbuildArgs: { '--conditions': 'react-server' },
      logLevel: nodejs.LogLevel.WARNING,
    },
  });
}

export function createSignInTriggers(
  scope: Construct,
  options: { config: StackConfig; table: dynamodb.ITable; sesIdentityArn: string | undefined },
): SignInTriggers {
  const { config, table, sesIdentityArn } = options;
  const trigger = (kind: TriggerKind) =>
    bundledFunction(scope, `Trigger-${kind}`, {
      functionName: triggerFunctionName(kind, config.shortCode),
      description: `Studio Access sign-in trigger: ${kind}`,
      entry: path.join('server', 'triggers', 'lambda', `${kind}.ts`),
      config,
      table,
    });

  const triggers: SignInTriggers = {
    'create-auth-challenge': trigger('create-auth-challenge'),
    'custom-message': trigger('custom-message'),
    'define-auth-challenge': trigger('define-auth-challenge'),
    'verify-auth-challenge': trigger('verify-auth-challenge'),
  };
  // Only the two challenge triggers touch the table; only create sends mail.
  for (const kind of ['create-auth-challenge', 'verify-auth-challenge'] as const) {
    triggers[kind].addToRolePolicy(
      new iam.PolicyStatement({ actions: CHALLENGE_TABLE_ACTIONS, resources: [table.tableArn] }),
    );
  }
  if (sesIdentityArn) {
    triggers['create-auth-challenge'].addToRolePolicy(
      new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: [sesIdentityArn] }),
    );
  }
  return triggers;
}
