// Dependencies for the triggers when they run as Lambda functions, built once per container from the
// environment. The AWS issue swaps the challenge store for DynamoDB and the mailer for SES here; when
// bundling, resolve with the `react-server` condition so `server-only` is the empty module.
import { openSqliteChallengeStore } from '@/server/challenges';
import { getEnv } from '@/server/env';
import { createMailer } from '@/server/mail';
import { createTriggerHandlers, type TriggerKind } from '../index';

let handlers: ReturnType<typeof createTriggerHandlers> | undefined;

export function lambdaTrigger(kind: TriggerKind): (event: unknown) => Promise<unknown> {
  return async (event) => {
    if (!handlers) {
      const env = getEnv();
      handlers = createTriggerHandlers({
        publicUrl: env.publicUrl,
        productName: env.productName,
        mailer: createMailer(env),
        challenges: openSqliteChallengeStore(env.dataDir),
      });
    }
    return handlers[kind](event);
  };
}
