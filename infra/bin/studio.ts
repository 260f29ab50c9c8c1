// The CDK app: `npm run synth` / `npx cdk deploy`. The one place infra reads the environment.
import { App } from 'aws-cdk-lib';
import { StackConfigError, stackConfigFrom } from '../lib/config';
import { StudioStack } from '../lib/studio-stack';

let config: ReturnType<typeof stackConfigFrom>;
try {
  config = stackConfigFrom(process.env);
} catch (error) {
  if (error instanceof StackConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const app = new App();
const amplifyAppId = app.node.tryGetContext('amplifyAppId') as string | undefined;
new StudioStack(app, `StudioAccess-${config.appId}`, {
  config,
  ...(amplifyAppId ? { amplifyAppId } : {}),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  description: `Studio Access (${config.appId}): user pool, identity pool, sign-in triggers, table`,
});
