import 'server-only';
import { getEnv } from '@/server/env';
import type { SessionStore } from './session-store';
import { openSqliteSessionStore } from './session-store-sqlite';

let store: SessionStore | undefined;

/** This process's session records: SQLite in DATA_DIR (the AWS issue adds DynamoDB here). */
export function getSessionStore(): SessionStore {
  store ??= openSqliteSessionStore(getEnv().dataDir);
  return store;
}
