import path from 'node:path';
import {
  Annotations,
  CfnOutput,
  aws_cognito as cognito,
  custom_resources as cr,
  Duration,
  aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_lambda_nodejs as nodejs,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type AccessLevel, accessLevelInfo } from '../../lib/access-levels';
import {
  APP_CLIENT_NAME,
  groupDescription,
  TEMPORARY_PASSWORD_VALIDITY_DAYS,
  type TriggerKind,
  tokenValidityMinutes,
  triggerFunctionName,
  userPoolName,
} from '../../server/cognito/resources';
import { TABLE_KEYS } from '../../server/storage/dynamodb-table';
import { invitationMetadata } from '../../server/triggers/protocol';
import { parseSender, type StackConfig } from './config';

// Studio Access on AWS: the user pool, its app client, groups and their roles, the identity pool,
// the four sign-in triggers, the one DynamoDB table and the console's own managed policy, with the
// reference's names (server/cognito/resources.ts holds them for both modes).

export interface StudioStackProps extends StackProps {
  config: StackConfig;
  /** With an Amplify app id, Full access gets a policy scoped to that app, not AdministratorAccess-Amplify. */
  amplifyAppId?: string;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Cognito waits at most 5 seconds for a trigger. */
const TRIGGER_TIMEOUT = Duration.seconds(5);

/** Runtime of the triggers (and the bundle's target): the newest Node.js LTS that Lambda runs. */
export const TRIGGER_RUNTIME = lambda.Runtime.NODEJS_24_X;

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

/**
 * The challenge store (server/challenges/dynamodb.ts) on the base table: reads and conditional
 * puts and updates (consume-once is a conditional update); no delete, no index, no query.
 */
export const CHALLENGE_TABLE_ACTIONS = ['GetItem', 'PutItem', 'UpdateItem'].map(
  (action) => `dynamodb:${action}`,
);

export class StudioStack extends Stack {
  constructor(scope: Construct, id: string, props: StudioStackProps) {
    super(scope, id, props);
    const { config } = props;

    const table = new dynamodb.Table(this, 'Table', {
      tableName: config.tableName,
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

    const sesIdentityArn = config.sesIdentity
      ? this.formatArn({ service: 'ses', resource: 'identity', resourceName: config.sesIdentity })
      : undefined;
    if (!config.sesIdentity) {
      Annotations.of(this).addWarning(
        'No SES_IDENTITY: invitations go out through Cognito’s default email (a few a day), and the sign-in trigger cannot mail links until an SES identity is set.',
      );
    }

    const trigger = (kind: TriggerKind) =>
      new nodejs.NodejsFunction(this, `Trigger-${kind}`, {
        functionName: triggerFunctionName(kind, config.shortCode),
        description: `Studio Access sign-in trigger: ${kind}`,
        entry: path.join(PROJECT_ROOT, 'server', 'triggers', 'lambda', `${kind}.ts`),
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
        runtime: TRIGGER_RUNTIME,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 256,
        timeout: TRIGGER_TIMEOUT,
        environment: {
          STUDIO_TABLE: table.tableName,
          PUBLIC_URL: config.publicUrl,
          MAIL_FROM: config.mailFrom,
          NODE_OPTIONS: '--enable-source-maps',
        },
        bundling: {
          forceDockerBundling: false,
          // Bundle the SDK too: the versions tested here, not whatever the runtime carries.
          externalModules: [],
          target: 'node24',
          minify: true,
          sourceMap: true,
          tsconfig: path.join(PROJECT_ROOT, 'tsconfig.json'),
          // `server-only` resolves to its empty module under the react-server condition.
          esbuildArgs: { '--conditions': 'react-server' },
          logLevel: nodejs.LogLevel.WARNING,
        },
      });

    const createAuthChallenge = trigger('create-auth-challenge');
    const customMessage = trigger('custom-message');
    const defineAuthChallenge = trigger('define-auth-challenge');
    const verifyAuthChallenge = trigger('verify-auth-challenge');
    // Only the two challenge triggers touch the table; only create sends mail.
    for (const fn of [createAuthChallenge, verifyAuthChallenge]) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({ actions: CHALLENGE_TABLE_ACTIONS, resources: [table.tableArn] }),
      );
    }
    if (sesIdentityArn) {
      createAuthChallenge.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: [sesIdentityArn] }),
      );
    }

    const sender = parseSender(config.mailFrom)!;
    const pool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: userPoolName(config.appId),
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 8,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(TEMPORARY_PASSWORD_VALIDITY_DAYS),
      },
      mfa: cognito.Mfa.OFF,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      email: config.sesIdentity
        ? cognito.UserPoolEmail.withSES({
            fromEmail: sender.address,
            ...(sender.name ? { fromName: sender.name } : {}),
            ...(config.sesIdentity.includes('@') ? {} : { sesVerifiedDomain: config.sesIdentity }),
          })
        : cognito.UserPoolEmail.withCognito(),
      lambdaTriggers: {
        createAuthChallenge,
        customMessage,
        defineAuthChallenge,
        verifyAuthChallengeResponse: verifyAuthChallenge,
      },
    });

    const validity = tokenValidityMinutes(config.sessionTtlMs);
    const client = pool.addClient('ConsoleClient', {
      userPoolClientName: APP_CLIENT_NAME,
      authFlows: { custom: true, adminUserPassword: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(validity.accessToken),
      idTokenValidity: Duration.minutes(validity.idToken),
      refreshTokenValidity: Duration.minutes(validity.refreshToken),
    });

    const identityPool = new cognito.CfnIdentityPool(this, 'IdentityPool', {
      identityPoolName: userPoolName(config.appId),
      allowUnauthenticatedIdentities: false,
      cognitoIdentityProviders: [
        {
          clientId: client.userPoolClientId,
          providerName: pool.userPoolProviderName,
          serverSideTokenCheck: true,
        },
      ],
    });

    const groupRole = (level: AccessLevel) =>
      new iam.Role(this, `Role-${accessLevelInfo[level].group}`, {
        roleName: `${pool.userPoolId}_${accessLevelInfo[level].group}`,
        description: groupDescription(level),
        assumedBy: new iam.FederatedPrincipal(
          'cognito-identity.amazonaws.com',
          {
            StringEquals: { 'cognito-identity.amazonaws.com:aud': identityPool.ref },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
          },
          'sts:AssumeRoleWithWebIdentity',
        ),
      });
    const fullAccessRole = groupRole('full');
    const manageOnlyRole = groupRole('manage');

    const amplifyAppId = props.amplifyAppId;
    const amplifyAppArns = amplifyAppId
      ? [
          this.formatArn({ service: 'amplify', resource: 'apps', resourceName: amplifyAppId }),
          this.formatArn({ service: 'amplify', resource: 'apps', resourceName: `${amplifyAppId}/*` }),
        ]
      : undefined;
    if (amplifyAppId && amplifyAppArns) {
      fullAccessRole.addManagedPolicy(
        new iam.ManagedPolicy(this, 'FullAccessAppPolicy', {
          description: `Studio Access Full access: Amplify app ${amplifyAppId} only`,
          statements: [
            new iam.PolicyStatement({ actions: ['amplify:*'], resources: amplifyAppArns }),
            new iam.PolicyStatement({
              actions: ['amplifybackend:*'],
              resources: [
                this.formatArn({
                  service: 'amplifybackend',
                  resource: amplifyAppId,
                  resourceName: '*',
                }),
              ],
            }),
          ],
        }),
      );
    } else {
      fullAccessRole.addManagedPolicy(
        iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess-Amplify'),
      );
    }
    // Manage only: read the app and its backend, change nothing about how it is built or deployed.
    manageOnlyRole.addManagedPolicy(
      new iam.ManagedPolicy(this, 'ManageOnlyPolicy', {
        description: 'Studio Access Manage only: read the Amplify app and its backend',
        statements: [
          new iam.PolicyStatement({
            actions: [
              'amplify:GetApp',
              'amplify:GetBranch',
              'amplify:GetBackendEnvironment',
              'amplify:ListBranches',
              'amplify:ListBackendEnvironments',
            ],
            resources: amplifyAppArns ?? ['*'],
          }),
          new iam.PolicyStatement({
            actions: [
              'amplifybackend:GetBackend',
              'amplifybackend:GetBackendJob',
              'amplifybackend:ListBackendJobs',
            ],
            resources: [
              amplifyAppId
                ? this.formatArn({
                    service: 'amplifybackend',
                    resource: amplifyAppId,
                    resourceName: '*',
                  })
                : '*',
            ],
          }),
        ],
      }),
    );

    const group = (level: AccessLevel, role: iam.Role) =>
      new cognito.CfnUserPoolGroup(this, `Group-${accessLevelInfo[level].group}`, {
        userPoolId: pool.userPoolId,
        groupName: accessLevelInfo[level].group,
        description: groupDescription(level),
        roleArn: role.roleArn,
        precedence: level === 'full' ? 1 : 2,
      });
    const fullAccessGroup = group('full', fullAccessRole);
    group('manage', manageOnlyRole);

    new cognito.CfnIdentityPoolRoleAttachment(this, 'IdentityPoolRoles', {
      identityPoolId: identityPool.ref,
      roleMappings: {
        // CloudFormation cannot take a token as a map key; IdentityProvider names the provider instead.
        userPool: {
          identityProvider: `${pool.userPoolProviderName}:${client.userPoolClientId}`,
          type: 'Token',
          ambiguousRoleResolution: 'Deny',
        },
      },
    });

    const consolePolicy = new iam.ManagedPolicy(this, 'ConsolePolicy', {
      managedPolicyName: `studio-access-console-${config.appId}`,
      description: 'Studio Access console: its user pool, its table, its sender',
      statements: [
        new iam.PolicyStatement({ actions: CONSOLE_COGNITO_ACTIONS, resources: [pool.userPoolArn] }),
        new iam.PolicyStatement({
          actions: TABLE_DATA_ACTIONS,
          resources: [table.tableArn, `${table.tableArn}/index/${TABLE_KEYS.gsi1.name}`],
        }),
        ...(sesIdentityArn
          ? [new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: [sesIdentityArn] })]
          : []),
      ],
    });

    if (config.bootstrapAdminEmail) {
      const email = config.bootstrapAdminEmail;
      const adminPolicy = cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminAddUserToGroup'],
          resources: [pool.userPoolArn],
        }),
      ]);
      // Cognito emails the invitation (through the custom-message trigger); an existing member is left as is.
      const inviteCall: cr.AwsSdkCall = {
        service: 'CognitoIdentityServiceProvider',
        action: 'adminCreateUser',
        parameters: {
          UserPoolId: pool.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
          ClientMetadata: invitationMetadata('', 'full'),
        },
        physicalResourceId: cr.PhysicalResourceId.of(`bootstrap-admin:${email}`),
        ignoreErrorCodesMatching: 'UsernameExistsException',
      };
      // onUpdate too: a changed BOOTSTRAP_ADMIN_EMAIL invites the new person.
      const invite = new cr.AwsCustomResource(this, 'BootstrapAdminInvite', {
        onCreate: inviteCall,
        onUpdate: inviteCall,
        policy: adminPolicy,
        installLatestAwsSdk: false,
      });
      invite.node.addDependency(customMessage);
      const groupCall: cr.AwsSdkCall = {
        service: 'CognitoIdentityServiceProvider',
        action: 'adminAddUserToGroup',
        parameters: { UserPoolId: pool.userPoolId, Username: email, GroupName: fullAccessGroup.groupName },
        physicalResourceId: cr.PhysicalResourceId.of(`bootstrap-admin-group:${email}`),
      };
      const addToGroup = new cr.AwsCustomResource(this, 'BootstrapAdminGroup', {
        onCreate: groupCall,
        onUpdate: groupCall,
        policy: adminPolicy,
        installLatestAwsSdk: false,
      });
      addToGroup.node.addDependency(invite, fullAccessGroup);
    }

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('AwsRegion', this.region, 'AWS_REGION of the console');
    output('UserPoolId', pool.userPoolId, 'USER_POOL_ID of the console');
    output('UserPoolClientId', client.userPoolClientId, `The console's app client (${APP_CLIENT_NAME})`);
    output('StudioTable', table.tableName, 'STUDIO_TABLE of the console');
    output('IdentityPoolId', identityPool.ref, 'The identity pool that maps the groups to their roles');
    output('FullAccessRoleArn', fullAccessRole.roleArn, 'Role of the Full-access group');
    output('ManageOnlyRoleArn', manageOnlyRole.roleArn, 'Role of the Manage-only group');
    output(
      'ConsolePolicyArn',
      consolePolicy.managedPolicyArn,
      "Attach to the console's own IAM role or user",
    );
  }
}
