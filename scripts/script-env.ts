// The configuration a command line reads, as `npm start` reads it: the .env files Next.js reads, then
// the environment, validated. `fail` is the command's own way of reporting and exiting.
import path from 'node:path';
import { loadEnvConfig } from '@next/env';
import { ConfigError, type Env, getEnv } from '@/server/env';

type Fail = (error: unknown) => never;

/** With `dev`, the development .env files (`npm run dev`) rather than the production ones. */
export function loadScriptEnv(fail: Fail, dev = false): Env {
  loadEnvConfig(path.resolve(__dirname, '..'), dev, { info: () => {}, error: console.error });
  try {
    return getEnv();
  } catch (error) {
    return fail(error);
  }
}

/** For a command that works on the embedded identity service only; `task` says what it does there. */
export function loadLocalScriptEnv(fail: Fail, task: string): Env {
  const env = loadScriptEnv(fail);
  if (env.identityBackend !== 'local') fail(new ConfigError('IDENTITY_BACKEND', `is "aws"; ${task}`));
  return env;
}
