// Dependencies for the triggers when they run as Lambda functions, built once per container from the
// trigger-only configuration (loadTriggerEnv: STUDIO_TABLE, PUBLIC_URL, MAIL_FROM): the DynamoDB
// challenge store and the SES mailer. Region, credentials and endpoints come from the Lambda
// environment through the AWS SDK's own variables. Bundled with the `react-server` condition, so
// `server-only` is the empty module; nothing here may reach better-sqlite3.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { createDynamoChallengeStore } from '@/server/challenges/dynamodb';
import { loadTriggerEnv } from '@/server/env';
import { createSesMailer } from '@/server/mail/ses';
import { createTriggerHandlers, type TriggerKind } from '../index';

let handlers: ReturnType<typeof createTriggerHandlers> | undefined;

function buildHandlers(): ReturnType<typeof createTriggerHandlers> {
  const env = loadTriggerEnv();
  return createTriggerHandlers({
    publicUrl: env.publicUrl,
    productName: env.productName,
    mailer: createSesMailer({ client: new SESv2Client({}), from: env.mailFrom }),
    challenges: createDynamoChallengeStore({ client: new DynamoDBClient({}), tableName: env.studioTable }),
  });
}

export function lambdaTrigger(kind: TriggerKind): (event: unknown) => Promise<unknown> {
  return async (event) => {
    handlers ??= buildHandlers();
    return handlers[kind](event);
  };
}
