// Run by sqlite.test.ts in separate processes: opens the store and consumes one link at a given instant.
import { openSqliteChallengeStore } from './sqlite';

const [dataDir, secretHash, username, now, startAt] = process.argv.slice(2);
if (!dataDir || !secretHash || !username || !now || !startAt)
  throw new Error('usage: <dataDir> <hash> <user> <now> <startAt>');

const store = openSqliteChallengeStore(dataDir);
// A start barrier shared by all processes, so their writes contend rather than run one after another.
setTimeout(
  async () => {
    const result = await store.consume(secretHash, username, Number(now));
    store.close();
    process.stdout.write(JSON.stringify(result));
  },
  Math.max(0, Number(startAt) - Date.now()),
);
