import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import sesLocal from 'aws-ses-v2-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedIdentityPool } from '../server/cognito/identity-pool';
import { createDynamoMemberStores } from '../server/members/dynamodb';
import { type LocalDynamo, startLocalDynamo } from '../server/storage/dynalite.fixture';
import { groupRoleTrust, isDeprecatedRuntime, TRIGGER_RUNTIME } from '../server/studio/definitions';
import { linkMetadata } from '../server/triggers/protocol';
import { stackConfigFrom } from './lib/config';
import { MAIL_EVENTS_TABLE_ACTIONS } from './lib/mail-events';
import { StudioStack } from './lib/studio-stack';
import { CHALLENGE_TABLE_ACTIONS } from './lib/triggers';

// One synthesis for the whole file: a stack with every option, and one scoped to an Amplify app.
const ROOT = path.resolve(__dirname, '..');
const flags = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context as Record<
  string,
  unknown
>;
const config = stackConfigFrom({
  APP_ID: 'd1a2b3c4d5',
  SHORT_CODE: 'abcd1234',
  PUBLIC_URL: 'https://studio.example.com',
  SESSION_TTL: '2d',
  SES_IDENTITY: 'example.com',
  MAIL_FROM: 'Studio <no-reply@example.com>',
  BOOTSTRAP_ADMIN_EMAIL: 'Admin@Example.com',
});
const env = { account: '123456789012', region: 'eu-west-1' };

let outdir: string;
let template: Template;
let scoped: Template;
let resources: Record<string, { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string }>;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-cdk-'));
  const app = new App({ outdir, context: flags });
  const stack = new StudioStack(app, 'Studio', { config, env });
  const scopedStack = new StudioStack(app, 'StudioScoped', {
    config: { ...config, appId: 'scoped1234', tableName: 'studio_access_scoped1234', shortCode: 'scop1234' },
    amplifyAppId: 'd3abcdefgh1234',
    env,
  });
  app.synth();
  template = Template.fromStack(stack);
  scoped = Template.fromStack(scopedStack);
  resources = template.toJSON().Resources;
}, 120_000);

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

function ofType(type: string) {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

function logicalId(type: string, match: (properties: Record<string, unknown>) => boolean): string {
  const found = ofType(type).find(([, resource]) => match(resource.Properties));
  expect(found, `a ${type}`).toBeDefined();
  return found![0];
}

const poolId = () => logicalId('AWS::Cognito::UserPool', () => true);
const identityPoolId = () => logicalId('AWS::Cognito::IdentityPool', () => true);

/** Every Resource of every statement of a policy document, flattened. */
function statementsOf(document: unknown): Array<{ Action: string | string[]; Resource: unknown }> {
  return (document as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement;
}

function resourcesOf(statement: { Resource: unknown }): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

function containsWildcard(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('*');
  if (Array.isArray(value)) return value.some(containsWildcard);
  if (value && typeof value === 'object') return Object.values(value).some(containsWildcard);
  return false;
}

/** The DynamoDB actions behind the lib-dynamodb / client-dynamodb commands the given server files send. */
function dynamoActionsUsedBy(files: string[]): string[] {
  const action: Record<string, string> = {
    Get: 'GetItem',
    Put: 'PutItem',
    Update: 'UpdateItem',
    Delete: 'DeleteItem',
    BatchGet: 'BatchGetItem',
    BatchWrite: 'BatchWriteItem',
  };
  const used = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(ROOT, 'server', file), 'utf8');
    for (const match of text.matchAll(/new (\w+?)(?:Item)?Command\(/g)) {
      used.add(`dynamodb:${action[match[1]!] ?? match[1]}`);
    }
  }
  expect(used.size).toBeGreaterThan(0);
  return [...used];
}

const TRIGGER_KINDS = [
  'create-auth-challenge',
  'custom-message',
  'define-auth-challenge',
  'verify-auth-challenge',
];

function triggerLogicalId(kind: string): string {
  return logicalId('AWS::Lambda::Function', (p) => p.FunctionName === `amplify-login-${kind}-abcd1234`);
}

function mailEventsLogicalId(): string {
  return logicalId('AWS::Lambda::Function', (p) => p.FunctionName === 'studio-access-mail-events-abcd1234');
}

/** The inline policy statements of a trigger's role, beyond the basic execution role. */
function triggerStatements(kind: string) {
  return functionStatements(triggerLogicalId(kind));
}

/** The inline policy statements of a function's role, beyond the basic execution role. */
function functionStatements(functionId: string) {
  const fn = resources[functionId]!;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === roleId))
    .flatMap(([, policy]) => statementsOf(policy.Properties.PolicyDocument));
}

describe('the user pool', () => {
  it('is amplify_backend_manager_<APP_ID>: email usernames, case-insensitive, 7-day temporary passwords', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolName: 'amplify_backend_manager_d1a2b3c4d5',
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      Policies: { PasswordPolicy: Match.objectLike({ TemporaryPasswordValidityDays: 7 }) },
    });
  });

  it('is protected from deletion and retained with the stack gone', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('sends its mail through SES from MAIL_FROM within the identity', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'Studio <no-reply@example.com>',
        SourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
        ConfigurationSet: { Ref: logicalId('AWS::SES::ConfigurationSet', () => true) },
      },
    });
  });

  it('calls the four triggers', () => {
    const lambdaConfig = (resources[poolId()]!.Properties.LambdaConfig ?? {}) as Record<string, unknown>;
    const arnOf = (kind: string) => ({ 'Fn::GetAtt': [triggerLogicalId(kind), 'Arn'] });
    expect(lambdaConfig).toEqual({
      CreateAuthChallenge: arnOf('create-auth-challenge'),
      CustomMessage: arnOf('custom-message'),
      DefineAuthChallenge: arnOf('define-auth-challenge'),
      VerifyAuthChallengeResponse: arnOf('verify-auth-challenge'),
    });
  });
});

describe('the app client', () => {
  it('allows custom, admin-password and refresh auth only, revokes tokens, hides who exists', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'studio-access-console',
      GenerateSecret: false,
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
      AllowedOAuthFlowsUserPoolClient: false,
    });
    const client = ofType('AWS::Cognito::UserPoolClient')[0]![1].Properties;
    expect([...(client.ExplicitAuthFlows as string[])].sort()).toEqual([
      'ALLOW_ADMIN_USER_PASSWORD_AUTH',
      'ALLOW_CUSTOM_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
  });

  it('keeps refresh tokens valid at least as long as SESSION_TTL (2 days)', () => {
    const client = ofType('AWS::Cognito::UserPoolClient')[0]![1].Properties;
    expect(client.TokenValidityUnits).toMatchObject({ RefreshToken: 'minutes' });
    expect(client.RefreshTokenValidity as number).toBeGreaterThanOrEqual(2 * 24 * 60);
  });
});

describe('groups, roles and the identity pool', () => {
  it('names the identity pool amplify_backend_manager_<APP_ID>, authenticated identities only', () => {
    template.hasResourceProperties('AWS::Cognito::IdentityPool', {
      IdentityPoolName: 'amplify_backend_manager_d1a2b3c4d5',
      AllowUnauthenticatedIdentities: false,
      CognitoIdentityProviders: [Match.objectLike({ ServerSideTokenCheck: true })],
    });
  });

  for (const group of ['Full-access', 'Manage-only']) {
    it(`gives ${group} the role <userPoolId>_${group}, trusted by the identity pool for authenticated identities only`, () => {
      const roleId = logicalId('AWS::IAM::Role', (p) =>
        JSON.stringify(p.RoleName ?? '').includes(`_${group}`),
      );
      const role = resources[roleId]!.Properties;
      expect(role.RoleName).toEqual({ 'Fn::Join': ['', [{ Ref: poolId() }, `_${group}`]] });
      expect(statementsOf(role.AssumeRolePolicyDocument)).toEqual([
        {
          Action: 'sts:AssumeRoleWithWebIdentity',
          Effect: 'Allow',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Condition: {
            StringEquals: { 'cognito-identity.amazonaws.com:aud': { Ref: identityPoolId() } },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
          },
        },
      ]);
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', {
        GroupName: group,
        UserPoolId: { Ref: poolId() },
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      });
    });
  }

  it('gives Full access AdministratorAccess-Amplify, Manage only a narrower read policy', () => {
    const full =
      resources[
        logicalId('AWS::IAM::Role', (p) => JSON.stringify(p.RoleName ?? '').includes('_Full-access'))
      ]!;
    expect(JSON.stringify(full.Properties.ManagedPolicyArns)).toContain(
      ':iam::aws:policy/AdministratorAccess-Amplify',
    );
    const manage =
      resources[
        logicalId('AWS::IAM::Role', (p) => JSON.stringify(p.RoleName ?? '').includes('_Manage-only'))
      ]!;
    expect(JSON.stringify(manage.Properties.ManagedPolicyArns)).not.toContain('AdministratorAccess');
    const manageActions = ofType('AWS::IAM::ManagedPolicy')
      .filter(([id]) => JSON.stringify(manage.Properties.ManagedPolicyArns).includes(id))
      .flatMap(([, p]) => statementsOf(p.Properties.PolicyDocument))
      .flatMap((s) => s.Action);
    expect(manageActions.length).toBeGreaterThan(0);
    expect(manageActions.every((action) => /^amplify(backend)?:(Get|List)/.test(action))).toBe(true);
  });

  it('with -c amplifyAppId, scopes Full access to that one Amplify app', () => {
    const json = scoped.toJSON().Resources as typeof resources;
    const full = Object.values(json).find(
      (r) =>
        r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties.RoleName ?? '').includes('_Full-access'),
    )!;
    expect(JSON.stringify(full.Properties.ManagedPolicyArns)).not.toContain('AdministratorAccess-Amplify');
    scoped.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'amplify:*',
            Resource: [
              'arn:aws:amplify:eu-west-1:123456789012:apps/d3abcdefgh1234',
              'arn:aws:amplify:eu-west-1:123456789012:apps/d3abcdefgh1234/*',
            ],
          }),
        ]),
      },
    });
  });

  it("maps the token's preferred role and denies ambiguous tokens", () => {
    const clientId = logicalId('AWS::Cognito::UserPoolClient', () => true);
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      IdentityPoolId: { Ref: identityPoolId() },
      RoleMappings: {
        userPool: {
          Type: 'Token',
          AmbiguousRoleResolution: 'Deny',
          IdentityProvider: {
            'Fn::Join': [
              '',
              [Match.objectLike({ 'Fn::GetAtt': [poolId(), 'ProviderName'] }), ':', { Ref: clientId }],
            ],
          },
        },
      },
    });
    const attachment = ofType('AWS::Cognito::IdentityPoolRoleAttachment')[0]![1].Properties;
    expect(attachment.Roles).toBeUndefined();
  });
});

describe('the identity pool server/cognito/identity-pool.ts expects', () => {
  // provision() builds the embedded service's identity pool from expectedIdentityPool, and the doctor
  // compares a deployed one with it: the stack must declare exactly that shape.
  it('is the one the stack declares', () => {
    const clientId = logicalId('AWS::Cognito::UserPoolClient', () => true);
    const expected = expectedIdentityPool(
      { appId: config.appId, awsRegion: env.region },
      { poolId: 'POOL', clientId: 'CLIENT' },
    );
    const pool = resources[identityPoolId()]!.Properties;
    expect(pool.IdentityPoolName).toBe(expected.name);
    expect(pool.AllowUnauthenticatedIdentities).toBe(expected.allowUnauthenticated);
    expect(pool.CognitoIdentityProviders).toEqual(
      expected.providers.map((provider) => ({
        ClientId: { Ref: clientId },
        ProviderName: { 'Fn::GetAtt': [poolId(), 'ProviderName'] },
        ServerSideTokenCheck: provider.serverSideTokenCheck,
      })),
    );
    const attachment = ofType('AWS::Cognito::IdentityPoolRoleAttachment')[0]![1].Properties;
    expect(attachment.Roles ?? {}).toEqual(expected.roles);
    expect(Object.values(attachment.RoleMappings as Record<string, unknown>)).toEqual(
      Object.values(expected.roleMappings).map((mapping) => ({
        Type: mapping.type,
        AmbiguousRoleResolution: mapping.ambiguousRoleResolution,
        IdentityProvider: expect.anything(),
      })),
    );
  });
});

describe('the sign-in triggers', () => {
  it('are the four amplify-login-<kind>-<SHORT_CODE> functions, on nodejs22.x or newer', () => {
    for (const kind of TRIGGER_KINDS) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `amplify-login-${kind}-abcd1234`,
        Timeout: 5,
        Environment: {
          Variables: Match.objectLike({
            STUDIO_TABLE: { Ref: logicalId('AWS::DynamoDB::Table', () => true) },
            PUBLIC_URL: 'https://studio.example.com',
            MAIL_FROM: 'Studio <no-reply@example.com>',
          }),
        },
      });
    }
  });

  it('every function of the stack (the bootstrap custom resource too) runs nodejs22.x or newer', () => {
    const runtimes = ofType('AWS::Lambda::Function').map(([, fn]) => String(fn.Properties.Runtime));
    expect(runtimes.length).toBeGreaterThanOrEqual(5);
    for (const runtime of runtimes) {
      expect(runtime).toMatch(/^nodejs\d+\.x$/);
      expect(Number(/^nodejs(\d+)/.exec(runtime)![1])).toBeGreaterThanOrEqual(22);
    }
  });

  it('each gets only what it needs: the table for create and verify, SES for create, nothing for the others', () => {
    const tableId = logicalId('AWS::DynamoDB::Table', () => true);
    const refersTo = (statement: { Resource: unknown }, id: string) =>
      JSON.stringify(statement.Resource).includes(id);
    const tableStatement = {
      Action: CHALLENGE_TABLE_ACTIONS,
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
    };
    expect(triggerStatements('create-auth-challenge')).toEqual([
      tableStatement,
      {
        Action: 'ses:SendEmail',
        Effect: 'Allow',
        Resource: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
      },
    ]);
    expect(triggerStatements('verify-auth-challenge')).toEqual([tableStatement]);
    expect(triggerStatements('custom-message')).toEqual([]);
    expect(triggerStatements('define-auth-challenge')).toEqual([]);
    // Every item call the challenge store makes is among them.
    for (const action of dynamoActionsUsedBy(['challenges/dynamodb.ts'])) {
      expect(CHALLENGE_TABLE_ACTIONS).toContain(action);
    }
    expect(refersTo(tableStatement, tableId)).toBe(true);
  });
  it('are bundled without better-sqlite3 or any SQLite code, as is the mail-events function', () => {
    const bundles: Array<[string, string, string]> = [
      ...TRIGGER_KINDS.map((kind): [string, string, string] => [
        kind,
        triggerLogicalId(kind),
        'Unexpected trigger source',
      ]),
      ['mail-events', mailEventsLogicalId(), 'SES suppression list'],
    ];
    for (const [kind, functionId, handlerText] of bundles) {
      const code = resources[functionId]!.Properties.Code as { S3Key: string };
      const assetDir = path.join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      const bundle = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
      expect(bundle.length).toBeGreaterThan(10_000);
      // The handler and its dependencies are in, and nothing of SQLite.
      expect(bundle.includes(handlerText), `${kind}: the handler is in`).toBe(true);
      expect(bundle.includes('better-sqlite3'), `${kind}: bundle names better-sqlite3`).toBe(false);
      expect(/sqlite/i.test(bundle), `${kind}: bundle has SQLite code`).toBe(false);
      expect(fs.readdirSync(assetDir).filter((name) => name.endsWith('.node'))).toEqual([]);
    }
  });
});

describe('the trigger bundles on local engines (dynalite, aws-ses-v2-local)', () => {
  let dynamo: LocalDynamo;
  let ses: Server;
  let sesUrl: string;

  beforeAll(async () => {
    dynamo = await startLocalDynamo('studio-bundles');
    ses = await sesLocal({ host: '127.0.0.1', port: 0 });
    sesUrl = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await dynamo?.close();
    await new Promise<void>((resolve) => (ses ? ses.close(() => resolve()) : resolve()));
  });

  /** Runs one bundled trigger in its own Node process, configured as the stack configures it. */
  async function invoke(kind: string, event: unknown): Promise<{ response: Record<string, unknown> }> {
    return invokeFunction(triggerLogicalId(kind), event) as Promise<{ response: Record<string, unknown> }>;
  }

  /** Runs one bundled function of the stack in its own Node process, configured as the stack configures it. */
  async function invokeFunction(functionId: string, event: unknown): Promise<unknown> {
    const code = resources[functionId]!.Properties.Code as { S3Key: string };
    const bundle = path.join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.js');
    const variables = (
      resources[functionId]!.Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    const script = `require(${JSON.stringify(bundle)}).handler(JSON.parse(process.argv[1])).then(
      (result) => process.stdout.write(JSON.stringify(result)),
      (error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); })`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, JSON.stringify(event)], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PUBLIC_URL: String(variables.PUBLIC_URL),
        MAIL_FROM: String(variables.MAIL_FROM),
        STUDIO_TABLE: dynamo.tableName,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_SESV2: sesUrl,
      },
    });
    // What the function logged comes first, a line each; the result is the last line.
    return JSON.parse(stdout.slice(stdout.lastIndexOf('\n') + 1));
  }

  it('create mails a link through SES and stores it in DynamoDB; verify spends it exactly once', async () => {
    const userAttributes = { email: 'ada@example.com', 'cognito:user_status': 'CONFIRMED' };
    const created = await invoke('create-auth-challenge', {
      triggerSource: 'CreateAuthChallenge_Authentication',
      userName: 'user-ada',
      request: {
        userAttributes,
        session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false }],
        clientMetadata: linkMetadata('REQUEST'),
      },
      response: {},
    });
    expect(created.response).toMatchObject({
      publicChallengeParameters: {},
      challengeMetadata: 'MAGIC_LINK',
    });

    const store = (await (await fetch(`${sesUrl}/store`)).json()) as {
      emails: Array<{
        from: string;
        destination: { to: string[] };
        subject: string;
        body: { text: string; html: string };
      }>;
    };
    const mail = store.emails.find((email) => email.destination.to.includes('ada@example.com'));
    expect(mail?.from).toBe('Studio <no-reply@example.com>');
    expect(mail?.body.html).toContain('https://studio.example.com/auth/link#');
    const secret = /https:\/\/studio\.example\.com\/auth\/link#([A-Za-z0-9_-]{43})/.exec(
      mail!.body.text,
    )?.[1];
    expect(secret).toBeDefined();

    const answer = {
      triggerSource: 'VerifyAuthChallengeResponse_Authentication',
      userName: 'user-ada',
      request: {
        userAttributes,
        privateChallengeParameters: {},
        challengeAnswer: secret,
        clientMetadata: linkMetadata('ANSWER'),
      },
      response: {},
    };
    expect((await invoke('verify-auth-challenge', answer)).response).toEqual({ answerCorrect: true });
    // Another process, the same table: the link is spent.
    expect((await invoke('verify-auth-challenge', answer)).response).toEqual({ answerCorrect: false });
  });

  it('define and custom-message run from their bundles too', async () => {
    const defined = await invoke('define-auth-challenge', {
      triggerSource: 'DefineAuthChallenge_Authentication',
      userName: 'user-ada',
      request: { userAttributes: { email: 'ada@example.com' }, session: [] },
      response: {},
    });
    expect(defined.response).toMatchObject({ challengeName: 'CUSTOM_CHALLENGE', issueTokens: false });
    const message = await invoke('custom-message', {
      triggerSource: 'CustomMessage_AdminCreateUser',
      userName: 'user-grace',
      request: {
        userAttributes: { email: 'grace@example.com' },
        codeParameter: '{####}',
        usernameParameter: '{username}',
        clientMetadata: { accessLevel: 'manage', invitedBy: 'ada@example.com' },
      },
      response: {},
    });
    expect(String(message.response.emailMessage)).toContain('https://studio.example.com');
  });
  it('the mail-events bundle marks a bounced invitation failed in DynamoDB, once, and logs it', async () => {
    const stores = createDynamoMemberStores({ client: dynamo.client(), tableName: dynamo.tableName });
    const sentAt = Date.now() - 10_000;
    await stores.invites.recordInvitation({
      email: 'typo@exmaple.com',
      username: 'user-typo',
      invitedBy: 'ada@example.com',
      accessLevel: 'manage',
      delivery: 'sent',
      deliveryError: null,
      at: sentAt + 400,
    });
    const sesEvent = {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          { emailAddress: 'typo@exmaple.com', diagnosticCode: 'smtp; 550 5.1.1 user unknown' },
        ],
        timestamp: new Date().toISOString(),
      },
      mail: { timestamp: new Date(sentAt).toISOString(), destination: ['typo@exmaple.com'] },
    };
    const snsEvent = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          Sns: {
            Type: 'Notification',
            TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
            Message: JSON.stringify(sesEvent),
          },
        },
      ],
    };
    expect(await invokeFunction(mailEventsLogicalId(), snsEvent)).toEqual({ bounced: 1, marked: 1 });
    // SNS delivers at least once: the second changes nothing.
    expect(await invokeFunction(mailEventsLogicalId(), snsEvent)).toEqual({ bounced: 1, marked: 0 });

    const record = (await stores.invites.getMany(['typo@exmaple.com'])).get('typo@exmaple.com');
    expect(record).toMatchObject({
      delivery: 'failed',
      deliveryError: 'The address does not exist or does not accept email (smtp; 550 5.1.1 user unknown).',
    });
    expect((await stores.invites.listFailed({ limit: 5 })).records.map((r) => r.email)).toEqual([
      'typo@exmaple.com',
    ]);
    const { entries } = await stores.activity.list({ member: 'typo@exmaple.com', limit: 5 });
    expect(entries.map((e) => [e.actorEmail, e.action, e.targetEmail])).toEqual([
      ['ada@example.com', 'invite-bounced', 'typo@exmaple.com'],
    ]);
  });
});

describe('bounced invitation emails (with an SES identity)', () => {
  const configurationSetId = () => logicalId('AWS::SES::ConfigurationSet', () => true);
  const topicId = () => logicalId('AWS::SNS::Topic', () => true);

  it('the pool sends through studio-access-<APP_ID>, whose bounces and rejections go to a topic only that set may publish to', () => {
    expect(resources[configurationSetId()]!.Properties.Name).toBe('studio-access-d1a2b3c4d5');
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSetId() },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'reject'],
        SnsDestination: { TopicARN: { Ref: topicId() } },
      },
    });
    const topicPolicies = ofType('AWS::SNS::TopicPolicy');
    expect(topicPolicies).toHaveLength(1);
    const topicPolicy = topicPolicies[0]![1];
    const statements = statementsOf(topicPolicy.Properties.PolicyDocument) as unknown as Array<
      Record<string, unknown>
    >;
    const publish = statements.filter((s) => s.Effect === 'Allow');
    expect(publish).toEqual([
      expect.objectContaining({
        Action: 'sns:Publish',
        Principal: { Service: 'ses.amazonaws.com' },
        Resource: { Ref: topicId() },
        Condition: {
          StringEquals: {
            'AWS:SourceAccount': '123456789012',
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':ses:eu-west-1:123456789012:configuration-set/',
                  { Ref: configurationSetId() },
                ],
              ],
            },
          },
        },
      }),
    ]);
    // Publishing without TLS is refused.
    expect(statements.filter((s) => s.Effect === 'Deny').map((s) => s.Condition)).toEqual([
      { Bool: { 'aws:SecureTransport': 'false' } },
    ]);
  });

  it('studio-access-mail-events-<SHORT_CODE> reads the topic on the triggers’ runtime, and may only update and put table items', () => {
    const fn = resources[mailEventsLogicalId()]!;
    expect(fn.Properties.Runtime).toBe(TRIGGER_RUNTIME);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topicId() },
      Endpoint: { 'Fn::GetAtt': [mailEventsLogicalId(), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topicId() },
      FunctionName: { 'Fn::GetAtt': [mailEventsLogicalId(), 'Arn'] },
    });
    const tableId = logicalId('AWS::DynamoDB::Table', () => true);
    expect(functionStatements(mailEventsLogicalId())).toEqual([
      { Action: MAIL_EVENTS_TABLE_ACTIONS, Effect: 'Allow', Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } },
    ]);
  });

  it('without an SES identity there is none of it, and Cognito sends its own mail', () => {
    // No bundling: only the template's shape matters here.
    const app = new App({ context: { ...flags, 'aws:cdk:bundling-stacks': [] } });
    const { SES_IDENTITY: _, ...rest } = {
      APP_ID: 'nosesid123',
      PUBLIC_URL: 'https://studio.example.com',
      SES_IDENTITY: undefined,
      MAIL_FROM: 'no-reply@example.com',
    };
    const plain = Template.fromStack(new StudioStack(app, 'NoSes', { config: stackConfigFrom(rest), env }));
    plain.resourceCountIs('AWS::SES::ConfigurationSet', 0);
    plain.resourceCountIs('AWS::SNS::Topic', 0);
    // The four triggers, and no bootstrap admin asked for.
    plain.resourceCountIs('AWS::Lambda::Function', 4);
    plain.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
    });
  });
});

describe('the table', () => {
  it('is STUDIO_TABLE: pk/sk, gsi1, on demand, TTL on ttl, point-in-time recovery, protected and retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        TableName: 'studio_access_d1a2b3c4d5',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gsi1pk', AttributeType: 'S' },
          { AttributeName: 'gsi1sk', AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    });
    expect(ofType('AWS::DynamoDB::Table')).toHaveLength(1);
  });
});

describe("the console's managed policy", () => {
  const consolePolicy = () =>
    resources[
      logicalId('AWS::IAM::ManagedPolicy', (p) => p.ManagedPolicyName === 'studio-access-console-d1a2b3c4d5')
    ]!;

  it('names a resource in every statement: no wildcard resource', () => {
    const statements = statementsOf(consolePolicy().Properties.PolicyDocument);
    expect(statements.length).toBe(7);
    for (const statement of statements) {
      for (const resource of resourcesOf(statement))
        expect(containsWildcard(resource), JSON.stringify(resource)).toBe(false);
      expect(containsWildcard(statement.Action)).toBe(false);
    }
  });

  it("grants every Cognito call the console makes on its pool, the table's data calls and SES send", () => {
    // Calls server/cognito makes that the console in AWS mode does not need: creating or deleting the
    // pool and its client (provisioning in local mode, `npm run studio` with the operator's
    // credentials in AWS), finding the pool by name (USER_POOL_ID is given), RevokeToken (no IAM
    // permission).
    const notForTheConsole = new Set([
      'CreateUserPool',
      'CreateUserPoolClient',
      'DeleteGroup',
      'DeleteUserPool',
      'DeleteUserPoolClient',
      'ListUserPools',
      'RevokeToken',
    ]);
    const dir = path.join(ROOT, 'server', 'cognito');
    const used = new Set<string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      // User pool calls only: the identity pool's (Cognito Identity) are provisioning's, local mode only.
      if (!source.includes("from '@aws-sdk/client-cognito-identity-provider'")) continue;
      for (const match of source.matchAll(/new (\w+)Command\(/g)) used.add(match[1]!);
    }
    expect(used.size).toBeGreaterThan(10);
    const statements = statementsOf(consolePolicy().Properties.PolicyDocument);
    const poolStatement = statements.find((s) => JSON.stringify(s.Resource).includes(poolId()))!;
    expect(poolStatement.Resource).toEqual({ 'Fn::GetAtt': [poolId(), 'Arn'] });
    const granted = new Set([poolStatement.Action].flat());
    for (const command of used) {
      if (!notForTheConsole.has(command)) expect(granted, command).toContain(`cognito-idp:${command}`);
    }
    for (const command of notForTheConsole) expect(granted).not.toContain(`cognito-idp:${command}`);

    const tableId = logicalId('AWS::DynamoDB::Table', () => true);
    const tableStatement = statements.find((s) => JSON.stringify(s.Resource).includes(tableId))!;
    expect([tableStatement.Action].flat()).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:DeleteItem',
        'dynamodb:Query',
      ]),
    );
    expect([tableStatement.Action].flat()).not.toContain('dynamodb:Scan');
    const stores = ['challenges', 'auth', 'members', 'storage']
      .flatMap((dir) =>
        fs.existsSync(path.join(ROOT, 'server', dir))
          ? fs.readdirSync(path.join(ROOT, 'server', dir)).map((file) => `${dir}/${file}`)
          : [],
      )
      .filter((file) => file.endsWith('.ts') && !/\.(test|fixture|contract)\.ts$/.test(file))
      .filter((file) =>
        /@aws-sdk\/(lib|client)-dynamodb/.test(fs.readFileSync(path.join(ROOT, 'server', file), 'utf8')),
      )
      // Creating the table is the stack's job (and aws:local's), not the console's.
      .filter((file) => file !== 'storage/dynamodb-table.ts');
    for (const action of dynamoActionsUsedBy(stores))
      expect([tableStatement.Action].flat()).toContain(action);
    const sesStatement = statements.find((s) => [s.Action].flat().includes('ses:SendEmail'))!;
    expect(JSON.stringify(sesStatement.Resource)).toMatch(
      /:ses:eu-west-1:123456789012:identity\/example\.com/,
    );
  });
});

describe("the console's managed policy for Studio settings", () => {
  const statements = () =>
    statementsOf(
      resources[
        logicalId(
          'AWS::IAM::ManagedPolicy',
          (p) => p.ManagedPolicyName === 'studio-access-console-d1a2b3c4d5',
        )
      ]!.Properties.PolicyDocument,
    );
  const withAction = (action: string) => statements().find((s) => [s.Action].flat().includes(action))!;

  it("reads and repairs its one identity pool; creating, listing or deleting one is the operator's", () => {
    const identity = withAction('cognito-identity:DescribeIdentityPool');
    expect(JSON.stringify(identity.Resource)).toContain(identityPoolId());
    expect(JSON.stringify(identity.Resource)).toContain(':identitypool/');
    const granted = [identity.Action].flat();
    // Every Cognito Identity call the lifecycle makes on an existing pool; GetId and
    // GetCredentialsForIdentity take the member's token and need no IAM permission.
    const dir = path.join(ROOT, 'server', 'cognito');
    const used = new Set<string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      // The commands this file imports from the Cognito Identity SDK (some files use both SDKs).
      const imported = /import \{([^}]*)\} from '@aws-sdk\/client-cognito-identity';/.exec(source)?.[1] ?? '';
      for (const match of imported.matchAll(/(\w+)Command\b/g)) used.add(match[1]!);
    }
    expect([...used].sort()).toEqual(
      expect.arrayContaining([
        'DescribeIdentityPool',
        'GetCredentialsForIdentity',
        'GetId',
        'SetIdentityPoolRoles',
      ]),
    );
    const operatorOnly = ['CreateIdentityPool', 'DeleteIdentityPool', 'ListIdentityPools'];
    const noPermission = ['GetId', 'GetCredentialsForIdentity'];
    for (const command of used) {
      if (operatorOnly.includes(command) || noPermission.includes(command)) {
        expect(granted).not.toContain(`cognito-identity:${command}`);
      } else {
        expect(granted, command).toContain(`cognito-identity:${command}`);
      }
    }
  });

  it('reads the two group roles and may name them (PassRole), but not change or create roles', () => {
    const roles = withAction('iam:GetRole');
    expect([roles.Action].flat().sort()).toEqual(['iam:GetRole', 'iam:PassRole']);
    const named = JSON.stringify(roles.Resource);
    for (const level of ['Full-access', 'Manage-only']) {
      expect(named).toContain(
        logicalId('AWS::IAM::Role', (p) => JSON.stringify(p.RoleName ?? '').includes(level)),
      );
    }
    const all = statements().flatMap((s) => [s.Action].flat());
    for (const write of [
      'iam:CreateRole',
      'iam:UpdateAssumeRolePolicy',
      'iam:AttachRolePolicy',
      'iam:DeleteRole',
    ]) {
      expect(all).not.toContain(write);
    }
  });

  it('reads its own default version, to check it names the pool there is', () => {
    const self = withAction('iam:GetPolicyVersion');
    expect([self.Action].flat().sort()).toEqual(['iam:GetPolicy', 'iam:GetPolicyVersion']);
    expect(JSON.stringify(self.Resource)).toContain(':policy/studio-access-console-d1a2b3c4d5');
    const all = statements().flatMap((s) => [s.Action].flat());
    expect(all).not.toContain('iam:CreatePolicyVersion');
  });

  it("reads the four triggers' functions, and changes none", () => {
    const functions = withAction('lambda:GetFunctionConfiguration');
    expect([functions.Action].flat().sort()).toEqual(['lambda:GetFunctionConfiguration', 'lambda:GetPolicy']);
    const named = JSON.stringify(functions.Resource);
    for (const kind of TRIGGER_KINDS) expect(named).toContain(triggerLogicalId(kind));
    const all = statements().flatMap((s) => [s.Action].flat());
    expect(
      all.filter((action) => action.startsWith('lambda:Update') || action === 'lambda:AddPermission'),
    ).toEqual([]);
  });
});

describe('the roles and triggers are what doctor checks against', () => {
  it("the roles' trust is server/studio/definitions.ts's, for the stack's identity pool", () => {
    for (const level of ['Full-access', 'Manage-only']) {
      const role =
        resources[logicalId('AWS::IAM::Role', (p) => JSON.stringify(p.RoleName ?? '').includes(level))]!;
      expect(role.Properties.AssumeRolePolicyDocument).toEqual(
        groupRoleTrust({ Ref: identityPoolId() } as unknown as string),
      );
    }
  });

  it('the triggers run on the runtime a repair moves them to', () => {
    for (const kind of TRIGGER_KINDS) {
      expect(resources[triggerLogicalId(kind)]!.Properties.Runtime).toBe(TRIGGER_RUNTIME);
    }
    expect(isDeprecatedRuntime(TRIGGER_RUNTIME)).toBe(false);
    expect(isDeprecatedRuntime('nodejs20.x')).toBe(true);
  });
});

describe('the bootstrap admin', () => {
  it('is invited as Full access on deploy, an existing member left as is', () => {
    const custom = ofType('Custom::AWS').map(([, r]) => JSON.stringify(r.Properties.Create));
    const invite = custom.find((create) => create.includes('adminCreateUser'));
    expect(invite).toBeDefined();
    expect(invite).toContain('admin@example.com');
    expect(invite).toContain('UsernameExistsException');
    expect(invite).toContain('\\"DesiredDeliveryMediums\\":[\\"EMAIL\\"]');
    expect(invite).toContain('\\"accessLevel\\":\\"full\\"');
    const group = custom.find((create) => create.includes('adminAddUserToGroup'));
    expect(group).toContain('Full-access');
    // Not before Cognito may invoke the custom-message trigger that writes the invitation.
    const inviteResource = ofType('Custom::AWS').find(([, r]) =>
      JSON.stringify(r.Properties.Create).includes('adminCreateUser'),
    )!;
    const permission = logicalId('AWS::Lambda::Permission', (p) =>
      JSON.stringify(p.FunctionName).includes(triggerLogicalId('custom-message')),
    );
    expect((resources[inviteResource[0]] as { DependsOn?: string[] }).DependsOn).toContain(permission);
    // A changed address invites the new person on the next deploy.
    const updates = ofType('Custom::AWS').map(([, r]) => JSON.stringify(r.Properties.Update));
    expect(updates.filter((update) => update.includes('adminCreateUser'))).toHaveLength(1);
  });
});

describe('outputs', () => {
  it('give every value the console needs', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'AwsRegion',
        'ConsolePolicyArn',
        'FullAccessRoleArn',
        'IdentityPoolId',
        'ManageOnlyRoleArn',
        'StudioTable',
        'UserPoolClientId',
        'UserPoolId',
      ].sort(),
    );
    expect(outputs.UserPoolId!.Value).toEqual({ Ref: poolId() });
    expect(outputs.IdentityPoolId!.Value).toEqual({ Ref: identityPoolId() });
    expect(outputs.AwsRegion!.Value).toBe('eu-west-1');
  });
});
