import 'server-only';
import { getStores } from '@/server/runtime';
import type { ChallengeStore } from './port';

/** This process's challenge store, as server/runtime.ts wires it (SQLite or DynamoDB). */
export function getChallengeStore(): ChallengeStore {
  return getStores().challenges();
}
