// One-time sign-in links: the port (./port) and the embedded implementation, for callers that use both.
// Code that must not load SQLite (the Lambda bundles) imports ./port and ./dynamodb directly.
export type { ChallengeStore, ConsumeResult, LinkState, PutLimits, PutResult, StoredLink } from './port';
export { openSqliteChallengeStore } from './sqlite';
