import { aws_dynamodb as dynamodb, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../server/storage/dynamodb-table';

/**
 * The one table (STUDIO_TABLE): pk/sk and gsi1 from TABLE_KEYS, on demand, point-in-time recovery,
 * TTL on `ttl` (housekeeping; the stores check expiry themselves), protected and kept on delete.
 */
export function createStudioTable(scope: Construct, tableName: string): dynamodb.Table {
  const table = new dynamodb.Table(scope, 'Table', {
    tableName,
    partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: TABLE_KEYS.ttl,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  table.addGlobalSecondaryIndex({
    indexName: TABLE_KEYS.gsi1.name,
    partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: dynamodb.AttributeType.STRING },
    sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: dynamodb.AttributeType.STRING },
    projectionType: dynamodb.ProjectionType.ALL,
  });
  return table;
}
