// A second process for persistence.test.ts: its own service on the same data directory, creating
// users through the SDK while the test process does the same.
//   node --import tsx persistence-child.ts <dataDir> <poolId> <prefix> <count> <shared>
// Prints "ready" once listening, waits for a line on stdin, creates `<prefix>-<i>@example.com` for
// i < count interleaved with `shared-<i>@example.com` for i < shared (which the other writers also
// try to create), then prints a JSON summary and exits.
import readline from 'node:readline';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startLocalCognito } from './server';
import { sdkClient } from './test-support';

async function main() {
  const [dataDir, poolId, prefix, count, shared] = process.argv.slice(2);
  if (!dataDir || !poolId || !prefix)
    throw new Error('usage: persistence-child <dataDir> <poolId> <prefix> <count> <shared>');
  const service = await startLocalCognito({ dataDir, port: 0, log: () => {} });
  const client = sdkClient(service.url);
  const input = readline.createInterface({ input: process.stdin });
  const go = new Promise<void>((resolve) => input.once('line', () => resolve()));
  process.stdout.write('ready\n');
  await go;
  input.close();

  const summary = await createUsers(client, poolId, prefix, Number(count), Number(shared));
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  client.destroy();
  await service.close();
}

/** Creates the writer's own users and tries the shared ones; counts created users and conflicts. */
export async function createUsers(
  client: ReturnType<typeof sdkClient>,
  poolId: string,
  prefix: string,
  count: number,
  shared: number,
): Promise<{ created: number; conflicts: number }> {
  let created = 0;
  let conflicts = 0;
  const create = async (Username: string) => {
    try {
      await client.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username, MessageAction: 'SUPPRESS' }),
      );
      created++;
    } catch (error) {
      if ((error as Error).name !== 'UsernameExistsException') throw error;
      conflicts++;
    }
  };
  for (let i = 0; i < Math.max(count, shared); i++) {
    if (i < count) await create(`${prefix}-${i}@example.com`);
    if (i < shared) await create(`shared-${i}@example.com`);
  }
  return { created, conflicts };
}

if (process.argv[1]?.endsWith('persistence-child.ts')) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  });
}
