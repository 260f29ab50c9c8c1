import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDynamoChallengeStore } from '@/server/challenges/dynamodb';
import { type LocalDynamo, startLocalDynamo } from './dynalite.fixture';
import { checkTableName, TABLE_KEYS } from './dynamodb-table';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo('studio-table-test');
});
afterAll(() => dynamo.close());

it('creates the table as the stack defines it: pk/sk, gsi1 with every attribute, on demand', async () => {
  const { Table } = await dynamo.client().send(new DescribeTableCommand({ TableName: 'studio-table-test' }));
  expect(Table?.TableStatus).toBe('ACTIVE');
  expect(Table?.KeySchema).toEqual([
    { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
    { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
  ]);
  expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  const [index] = Table?.GlobalSecondaryIndexes ?? [];
  expect(index).toMatchObject({
    IndexName: TABLE_KEYS.gsi1.name,
    KeySchema: [
      { AttributeName: TABLE_KEYS.gsi1.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.gsi1.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  });
});

it('refuses a table name DynamoDB would refuse, naming the variable', () => {
  expect(checkTableName('studio')).toBe('studio');
  expect(() => checkTableName('ab')).toThrow('STUDIO_TABLE: expected 3-255 characters');
  expect(() => createDynamoChallengeStore({ client: dynamo.client(), tableName: 'a b' })).toThrow(
    'STUDIO_TABLE: expected',
  );
});
