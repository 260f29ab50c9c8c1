import 'server-only';
import { getEnv } from '@/server/env';
import type { ChallengeStore } from './port';
import { openSqliteChallengeStore } from './sqlite';

let store: ChallengeStore | undefined;

/** This process's challenge store: SQLite in DATA_DIR (the AWS issue adds DynamoDB here). */
export function getChallengeStore(): ChallengeStore {
  store ??= openSqliteChallengeStore(getEnv().dataDir);
  return store;
}
