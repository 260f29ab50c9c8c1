// Run by sqlite.test.ts in separate processes. Opens the store, says "ready", waits for "go" on stdin
// (the barrier every process blocks on), says "consuming" and consumes one link; prints the result.
import { createInterface } from 'node:readline';
import { openSqliteChallengeStore } from './sqlite';

const [dataDir, secretHash, username, now] = process.argv.slice(2);
if (!dataDir || !secretHash || !username || !now) throw new Error('usage: <dataDir> <hash> <user> <now>');

const store = openSqliteChallengeStore(dataDir);
const lines = createInterface({ input: process.stdin });
lines.once('line', async () => {
  lines.close();
  process.stdout.write('consuming\n');
  const result = await store.consume(secretHash, username, Number(now));
  store.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
});
process.stdout.write('ready\n');
