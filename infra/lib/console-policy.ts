import { type aws_dynamodb as dynamodb, aws_iam as iam, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../server/storage/dynamodb-table';
import { consolePolicyName } from '../../server/studio/definitions';

// The managed policy for the console's own credentials: least privilege, every resource named.

/**
 * The console's Cognito calls (server/cognito; RevokeToken needs no IAM permission), Studio settings'
 * repairs included (groups, the app client's flows, the triggers attached). Not creating or deleting
 * the pool or its app client: those are `npm run studio` with the operator's credentials. Not
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
  'CreateGroup',
  'DescribeUserPool',
  'DescribeUserPoolClient',
  'GetGroup',
  'ListUserPoolClients',
  'ListUsers',
  'ListUsersInGroup',
  'UpdateGroup',
  'UpdateUserPool',
  'UpdateUserPoolClient',
].map((action) => `cognito-idp:${action}`);

/**
 * Studio settings reads the identity pool and repairs its role mapping. GetId and
 * GetCredentialsForIdentity (a member's credentials) are called with the member's ID token and need
 * no IAM permission; ListIdentityPools has no resource-level permission, so IDENTITY_POOL_ID is given.
 */
export const CONSOLE_IDENTITY_POOL_ACTIONS = [
  'DescribeIdentityPool',
  'GetIdentityPoolRoles',
  'SetIdentityPoolRoles',
  'UpdateIdentityPool',
].map((action) => `cognito-identity:${action}`);

/**
 * Studio settings reads the group roles and the triggers' functions for doctor's checks; changing a
 * role's trust or a function's runtime stays with `npm run studio` and the operator's credentials.
 * iam:PassRole lets the repairs name the two roles in the groups and the identity pool, nothing else.
 */
export const CONSOLE_ROLE_ACTIONS = ['iam:GetRole', 'iam:PassRole'];
export const CONSOLE_FUNCTION_ACTIONS = ['lambda:GetFunctionConfiguration', 'lambda:GetPolicy'];

/** Studio settings checks that this very policy names the pool, identity pool and roles there are. */
export const CONSOLE_SELF_ACTIONS = ['iam:GetPolicy', 'iam:GetPolicyVersion'];

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
  options: {
    appId: string;
    userPoolArn: string;
    identityPoolArn: string;
    roleArns: string[];
    functionArns: string[];
    table: dynamodb.ITable;
    sesIdentityArn: string | undefined;
  },
): iam.ManagedPolicy {
  const { appId, userPoolArn, identityPoolArn, roleArns, functionArns, table, sesIdentityArn } = options;
  const name = consolePolicyName(appId);
  // Named, not referenced: a policy cannot take its own ARN as a token.
  const self = Stack.of(scope).formatArn({
    service: 'iam',
    region: '',
    resource: 'policy',
    resourceName: name,
  });
  return new iam.ManagedPolicy(scope, 'ConsolePolicy', {
    managedPolicyName: name,
    description:
      'Studio Access console: its user pool and identity pool, its table, its sender; reads its roles and triggers',
    statements: [
      new iam.PolicyStatement({ actions: CONSOLE_COGNITO_ACTIONS, resources: [userPoolArn] }),
      new iam.PolicyStatement({ actions: CONSOLE_IDENTITY_POOL_ACTIONS, resources: [identityPoolArn] }),
      new iam.PolicyStatement({ actions: CONSOLE_ROLE_ACTIONS, resources: roleArns }),
      new iam.PolicyStatement({ actions: CONSOLE_FUNCTION_ACTIONS, resources: functionArns }),
      new iam.PolicyStatement({ actions: CONSOLE_SELF_ACTIONS, resources: [self] }),
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
