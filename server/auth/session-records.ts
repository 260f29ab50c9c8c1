import 'server-only';
import { getStores } from '@/server/runtime';
import type { SessionStore } from './session-store';

/** This process's session records, as server/runtime.ts wires them (SQLite or DynamoDB). */
export function getSessionStore(): SessionStore {
  return getStores().sessions();
}
