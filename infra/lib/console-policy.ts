import { type aws_dynamodb as dynamodb, aws_iam as iam } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../server/storage/dynamodb-table';

// The managed policy for the console's own credentials: least privilege, every resource named.

/**
 * The console's Cognito calls (server/cognito; RevokeToken needs no IAM permission). Not
 * cognito-idp:ListUserPools: it has no resource-level permission, so the console is given
 * USER_POOL_ID from the outputs instead of finding the pool by name.
 */
export const CONSOLE_COGNITO_ACTIONS = [
  'AdminAddUserToGroup',
  'AdminCreateUser',
  'AdminDeleteUser',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminGetUser',
  'AdminInitiateAuth',
  'AdminListGroupsForUser',
  'AdminRemoveUserFromGroup',
  'AdminRespondToAuthChallenge',
  'AdminSetUserPassword',
  'AdminUserGlobalSignOut',
  'DescribeUserPool',
  'DescribeUserPoolClient',
  'GetGroup',
  'ListUserPoolClients',
  'ListUsers',
  'ListUsersInGroup',
].map((action) => `cognito-idp:${action}`);

/** The console's stores: single-item reads and conditional writes, queries; no Scan, no table management. */
export const TABLE_DATA_ACTIONS = [
  'GetItem',
  'BatchGetItem',
  'Query',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
].map((action) => `dynamodb:${action}`);

export function createConsolePolicy(
  scope: Construct,
  options: { appId: string; userPoolArn: string; table: dynamodb.ITable; sesIdentityArn: string | undefined },
): iam.ManagedPolicy {
  const { appId, userPoolArn, table, sesIdentityArn } = options;
  return new iam.ManagedPolicy(scope, 'ConsolePolicy', {
    managedPolicyName: `studio-access-console-${appId}`,
    description: 'Studio Access console: its user pool, its table, its sender',
    statements: [
      new iam.PolicyStatement({ actions: CONSOLE_COGNITO_ACTIONS, resources: [userPoolArn] }),
      new iam.PolicyStatement({
        actions: TABLE_DATA_ACTIONS,
        resources: [table.tableArn, `${table.tableArn}/index/${TABLE_KEYS.gsi1.name}`],
      }),
      ...(sesIdentityArn
        ? [new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: [sesIdentityArn] })]
        : []),
    ],
  });
}
