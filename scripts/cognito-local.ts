// `npm run cognito-local`: the embedded identity service alone (same DATA_DIR, triggers and mailer as
// `npm start`), for the AWS CLI or any SDK. Provisions the pool on first use.
import { ConfigError } from '@/server/env';
import { loadLocalScriptEnv } from './script-env';

function fail(error: unknown): never {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `cognito-local failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}

async function main() {
  const env = loadLocalScriptEnv(fail, 'the embedded identity service runs only with "local"');

  const { muteSdkNodeVersionWarning, startIdentityBackend } = await import('@/server/runtime');
  muteSdkNodeVersionWarning();
  const backend = await startIdentityBackend(env).catch(fail);
  const endpoint = env.cognitoEndpoint ?? '';
  console.log(
    [
      '',
      `  Embedded identity service   ${endpoint}`,
      `  User pool                   ${backend.pool.poolId}`,
      `  App client                  ${backend.pool.clientId}`,
      `  Identity pool               ${backend.pool.identityPoolId ?? ''}`,
      `  Data directory              ${env.dataDir}`,
      '',
      '  Any credentials and region work, for example:',
      `    AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1 \\`,
      `    aws cognito-idp list-users --endpoint-url ${endpoint} --user-pool-id ${backend.pool.poolId}`,
      '',
      '  Ctrl+C stops it.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    await backend.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch(fail);
