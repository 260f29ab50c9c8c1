// A real local DynamoDB for tests: dynalite in memory on 127.0.0.1 (a free port), with the studio
// table created as the stack defines it, and a client signed with static credentials (dynalite
// refuses unsigned requests).
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createStudioTable } from './dynamodb-table';

export interface LocalDynamo {
  endpoint: string;
  tableName: string;
  /** A new client on the same engine: a second console instance. */
  client(): DynamoDBClient;
  /** Another table with the same schema on the same engine (a test that wants empty data). */
  createTable(tableName: string): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalDynamo(tableName = 'studio-test'): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: DynamoDBClient[] = [];
  const client = () => {
    const c = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    clients.push(c);
    return c;
  };
  const admin = client();
  await createStudioTable(admin, tableName);
  return {
    endpoint,
    tableName,
    client,
    createTable: (name) => createStudioTable(admin, name),
    async close() {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
