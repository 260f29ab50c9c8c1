import { CreateTableCommand, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';

// The one DynamoDB table of AWS mode (the CDK stack creates it from TABLE_KEYS; the stores use it).
// Imported by the stack, the Lambda bundles and the console: no SQLite, no `server-only`, no env.
//
// Key layout, per item kind (pk / sk; gsi1pk / gsi1sk only where a query needs the index):
//   sign-in link      LINK#<secretHash>            / LINK                   (ttl: a day past expiry)
//   member's links    LINKS#<username>             / LINKS   (the email send times of the last hour
//                     and the links not known retired; the version every put is conditioned on)
//   session           SESSION#<key>                / SESSION ; gsi1 SESSION_EXPIRY / <expiresAt>#<key>
//   member's session  MEMBER_SESSIONS#<username>   / <key>                  (for "sign out everywhere")
//   invite record     INVITE#<email>               / INVITE  ; gsi1 INVITE_FAILED / <email>, only
//                     while the last invitation email failed
//   activity entry    ACTIVITY                     / <id>    (id = <at, 13 digits>#<tie-breaker>)
//   … by member       ACTIVITY#<email>             / <id>    (a copy for the actor and for the target)
//   team lock         LOCK#<name>                  / LOCK                   (ttl: a day past expiry)
//   rate window       RATE#<name>#<windowMs>       / <window start, 13 digits>  (count; ttl: an
//                     hour past the window's end)
// `ttl` (epoch seconds) is housekeeping only: every store checks expiry in code.

export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'ttl',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

export const itemKeys = {
  link: (secretHash: string) => ({ pk: `LINK#${secretHash}`, sk: 'LINK' }),
  memberLinks: (username: string) => ({ pk: `LINKS#${username}`, sk: 'LINKS' }),
  session: (key: string) => ({ pk: `SESSION#${key}`, sk: 'SESSION' }),
  memberSessionsPk: (username: string) => `MEMBER_SESSIONS#${username}`,
  sessionExpiryPk: 'SESSION_EXPIRY',
  invite: (email: string) => ({ pk: `INVITE#${email}`, sk: 'INVITE' }),
  inviteFailedPk: 'INVITE_FAILED',
  activityPk: (member?: string) => (member ? `ACTIVITY#${member}` : 'ACTIVITY'),
  lock: (name: string) => ({ pk: `LOCK#${name}`, sk: 'LOCK' }),
  rateWindow: (name: string, windowMs: number, start: number) => ({
    pk: `RATE#${name}#${windowMs}`,
    sk: sortableMs(start),
  }),
} as const;

/** Epoch seconds for the `ttl` attribute, from milliseconds. */
export function ttlSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

/** Milliseconds as 13 digits, so that they sort as strings (until the year 2286). */
export function sortableMs(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(13, '0');
}

// DynamoDB's rule for table names (dynalite enforces it too).
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** The table name, checked: a store refuses at once a name DynamoDB would refuse on every call. */
export function checkTableName(tableName: string): string {
  if (!TABLE_NAME.test(tableName)) {
    throw new Error(
      `STUDIO_TABLE: expected 3-255 characters of A-Z, a-z, 0-9, '_', '-', '.', got ${JSON.stringify(tableName)}`,
    );
  }
  return tableName;
}

/** True for the SDK's refusal of a write whose condition did not hold. */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Creates the table as the stack defines it (keys, gsi1, on demand) and waits until it is active.
 * TTL and point-in-time recovery are the stack's (dynalite has no UpdateTimeToLive).
 */
export async function createStudioTable(client: DynamoDBClient, tableName: string): Promise<void> {
  checkTableName(tableName);
  const { partitionKey, sortKey, gsi1 } = TABLE_KEYS;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: partitionKey, KeyType: 'HASH' },
        { AttributeName: sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: gsi1.name,
          KeySchema: [
            { AttributeName: gsi1.partitionKey, KeyType: 'HASH' },
            { AttributeName: gsi1.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
}
