import {
  Annotations,
  CfnOutput,
  aws_cognito as cognito,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type AccessLevel, accessLevelInfo } from '../../lib/access-levels';
import {
  APP_CLIENT_NAME,
  groupDescription,
  groupPrecedence,
  TEMPORARY_PASSWORD_VALIDITY_DAYS,
  tokenValidityMinutes,
  triggerKinds,
  userPoolName,
} from '../../server/cognito/resources';
import { BootstrapAdmin } from './bootstrap-admin';
import { parseSender, type StackConfig } from './config';
import { createConsolePolicy } from './console-policy';
import { createGroupRoles } from './group-roles';
import { createMailEvents } from './mail-events';
import { createStudioTable } from './table';
import { createSignInTriggers } from './triggers';

// Studio Access on AWS: the user pool, its app client, groups and their roles, the identity pool,
// the four sign-in triggers, the one DynamoDB table and the console's own managed policy, with the
// reference's names (server/cognito/resources.ts holds them for both modes). With an SES identity,
// also what brings bounced invitation emails back to the console (./mail-events).

export interface StudioStackProps extends StackProps {
  config: StackConfig;
  /** With an Amplify app id, Full access gets a policy scoped to that app, not AdministratorAccess-Amplify. */
  amplifyAppId?: string;
}

export class StudioStack extends Stack {
  constructor(scope: Construct, id: string, props: StudioStackProps) {
    super(scope, id, props);
    const { config } = props;

    const table = createStudioTable(this, config.tableName);
    const sesIdentityArn = config.sesIdentity
      ? this.formatArn({ service: 'ses', resource: 'identity', resourceName: config.sesIdentity })
      : undefined;
    if (!config.sesIdentity) {
      Annotations.of(this).addWarning(
        'No SES_IDENTITY: invitations go out through Cognito’s default email (a few a day), and the sign-in trigger cannot mail links until an SES identity is set.',
      );
    }
    const triggers = createSignInTriggers(this, { config, table, sesIdentityArn });
    const mailEvents = config.sesIdentity ? createMailEvents(this, { config, table }) : undefined;

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
            configurationSetName: mailEvents?.configurationSet.configurationSetName,
          })
        : cognito.UserPoolEmail.withCognito(),
      lambdaTriggers: {
        createAuthChallenge: triggers['create-auth-challenge'],
        customMessage: triggers['custom-message'],
        defineAuthChallenge: triggers['define-auth-challenge'],
        verifyAuthChallengeResponse: triggers['verify-auth-challenge'],
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

    const roles = createGroupRoles(this, {
      userPoolId: pool.userPoolId,
      identityPoolId: identityPool.ref,
      amplifyAppId: props.amplifyAppId,
    });
    const group = (level: AccessLevel) =>
      new cognito.CfnUserPoolGroup(this, `Group-${accessLevelInfo[level].group}`, {
        userPoolId: pool.userPoolId,
        groupName: accessLevelInfo[level].group,
        description: groupDescription(level),
        roleArn: roles[level].roleArn,
        precedence: groupPrecedence(level),
      });
    const fullAccessGroup = group('full');
    group('manage');

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

    const consolePolicy = createConsolePolicy(this, {
      appId: config.appId,
      userPoolArn: pool.userPoolArn,
      identityPoolArn: this.formatArn({
        service: 'cognito-identity',
        resource: 'identitypool',
        resourceName: identityPool.ref,
      }),
      roleArns: [roles.full.roleArn, roles.manage.roleArn],
      functionArns: triggerKinds.map((kind) => triggers[kind].functionArn),
      table,
      sesIdentityArn,
    });

    if (config.bootstrapAdminEmail) {
      new BootstrapAdmin(this, 'BootstrapAdmin', {
        email: config.bootstrapAdminEmail,
        pool,
        group: fullAccessGroup,
        // The invitation goes through the custom-message trigger, and Cognito must be allowed to
        // call it: the pool's subtree holds the invoke permissions.
        after: [pool, triggers['custom-message']],
      });
    }

    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output('AwsRegion', this.region, 'AWS_REGION of the console');
    output('UserPoolId', pool.userPoolId, 'USER_POOL_ID of the console');
    output('UserPoolClientId', client.userPoolClientId, `The console's app client (${APP_CLIENT_NAME})`);
    output('StudioTable', table.tableName, 'STUDIO_TABLE of the console');
    output(
      'IdentityPoolId',
      identityPool.ref,
      'IDENTITY_POOL_ID of the console: maps the groups to their roles',
    );
    output('FullAccessRoleArn', roles.full.roleArn, 'Role of the Full-access group');
    output('ManageOnlyRoleArn', roles.manage.roleArn, 'Role of the Manage-only group');
    output(
      'ConsolePolicyArn',
      consolePolicy.managedPolicyArn,
      "Attach to the console's own IAM role or user",
    );
  }
}
