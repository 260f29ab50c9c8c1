// The one DynamoDB table of AWS mode (STUDIO_TABLE): its key names, shared by the stores and the CDK
// stack (infra/) so the two cannot drift. Every store enforces expiry in code; `ttl` (epoch seconds)
// is housekeeping only.
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttl: 'ttl',
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;
