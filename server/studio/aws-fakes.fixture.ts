// IAM and Lambda for doctor's AWS-mode tests. There is no local engine for either on this machine, so
// their clients are replaced with aws-sdk-client-mock, answering from a small in-memory account: roles
// with trust policies and attached or inline policies, functions with a runtime and a resource policy.
// Cognito and Cognito Identity stay real (the embedded service).
import {
  AttachRolePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeletePolicyVersionCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand as GetFunctionPolicyCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';

export interface FakeRole {
  arn: string;
  trust: string;
  attached: Set<string>;
  inline: Map<string, string>;
}

export interface FakeFunction {
  arn: string;
  runtime: string;
  /** Resource policy statements. */
  statements: Array<Record<string, unknown>>;
}

export interface FakePolicy {
  /** Version documents, oldest first; the last is the default. */
  versions: string[];
}

export interface FakeAccount {
  accountId: string;
  region: string;
  roles: Map<string, FakeRole>;
  /** Customer managed policies by ARN. */
  policies: Map<string, FakePolicy>;
  functions: Map<string, FakeFunction>;
  /** Names of the commands that answer AccessDenied, e.g. "CreateRole" (the console's own credentials). */
  denied: Set<string>;
  iam: IAMClient;
  lambda: LambdaClient;
  /** Every write sent, in order: [command, input]. */
  writes: Array<[string, unknown]>;
  restore(): void;
}

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export function fakeAccount(accountId = '000000000000', region = 'us-east-1'): FakeAccount {
  const iam = new IAMClient({ region, credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' } });
  const lambda = new LambdaClient({ region, credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' } });
  const iamMock = mockClient(iam);
  const lambdaMock = mockClient(lambda);
  const account: FakeAccount = {
    accountId,
    region,
    roles: new Map(),
    policies: new Map(),
    functions: new Map(),
    denied: new Set(),
    iam,
    lambda,
    writes: [],
    restore() {
      iamMock.restore();
      lambdaMock.restore();
      iam.destroy();
      lambda.destroy();
    },
  };
  const guard = (command: string) => {
    if (account.denied.has(command)) {
      throw awsError('AccessDenied', `User is not authorized to perform: iam:${command}`);
    }
  };
  const role = (name: string | undefined) => {
    const found = account.roles.get(name ?? '');
    if (!found) throw awsError('NoSuchEntityException', `The role with name ${name} cannot be found.`);
    return found;
  };
  const fn = (name: string | undefined) => {
    const found = account.functions.get(name ?? '');
    if (!found) throw awsError('ResourceNotFoundException', `Function not found: ${name}`);
    return found;
  };
  const write = (command: string, input: unknown) => {
    guard(command);
    account.writes.push([command, input]);
  };

  iamMock.on(GetRoleCommand).callsFake((input) => {
    guard('GetRole');
    const found = role(input.RoleName);
    return {
      Role: {
        RoleName: input.RoleName,
        Arn: found.arn,
        AssumeRolePolicyDocument: encodeURIComponent(found.trust),
      },
    };
  });
  iamMock.on(UpdateAssumeRolePolicyCommand).callsFake((input) => {
    write('UpdateAssumeRolePolicy', input);
    role(input.RoleName).trust = input.PolicyDocument ?? '';
    return {};
  });
  iamMock.on(CreateRoleCommand).callsFake((input) => {
    write('CreateRole', input);
    if (account.roles.has(input.RoleName ?? '')) throw awsError('EntityAlreadyExistsException', 'exists');
    const arn = `arn:aws:iam::${accountId}:role/${input.RoleName}`;
    account.roles.set(input.RoleName ?? '', {
      arn,
      trust: input.AssumeRolePolicyDocument ?? '',
      attached: new Set(),
      inline: new Map(),
    });
    return { Role: { RoleName: input.RoleName, Arn: arn } };
  });
  iamMock.on(AttachRolePolicyCommand).callsFake((input) => {
    write('AttachRolePolicy', input);
    role(input.RoleName).attached.add(input.PolicyArn ?? '');
    return {};
  });
  iamMock.on(PutRolePolicyCommand).callsFake((input) => {
    write('PutRolePolicy', input);
    role(input.RoleName).inline.set(input.PolicyName ?? '', input.PolicyDocument ?? '');
    return {};
  });
  iamMock.on(ListAttachedRolePoliciesCommand).callsFake((input) => ({
    AttachedPolicies: [...role(input.RoleName).attached].map((arn) => ({ PolicyArn: arn })),
  }));
  iamMock
    .on(ListRolePoliciesCommand)
    .callsFake((input) => ({ PolicyNames: [...role(input.RoleName).inline.keys()] }));
  iamMock.on(DetachRolePolicyCommand).callsFake((input) => {
    write('DetachRolePolicy', input);
    role(input.RoleName).attached.delete(input.PolicyArn ?? '');
    return {};
  });
  iamMock.on(DeleteRolePolicyCommand).callsFake((input) => {
    write('DeleteRolePolicy', input);
    role(input.RoleName).inline.delete(input.PolicyName ?? '');
    return {};
  });
  iamMock.on(DeleteRoleCommand).callsFake((input) => {
    write('DeleteRole', input);
    const found = role(input.RoleName);
    if (found.attached.size > 0 || found.inline.size > 0) {
      throw awsError('DeleteConflictException', 'Cannot delete entity, must detach all policies first.');
    }
    account.roles.delete(input.RoleName ?? '');
    return {};
  });

  const policy = (arn: string | undefined) => {
    const found = account.policies.get(arn ?? '');
    if (!found) throw awsError('NoSuchEntityException', `Policy ${arn} was not found.`);
    return found;
  };
  iamMock.on(GetPolicyCommand).callsFake((input) => {
    guard('GetPolicy');
    return {
      Policy: { Arn: input.PolicyArn, DefaultVersionId: `v${policy(input.PolicyArn).versions.length}` },
    };
  });
  iamMock.on(GetPolicyVersionCommand).callsFake((input) => {
    guard('GetPolicyVersion');
    const document = policy(input.PolicyArn).versions[Number(input.VersionId?.slice(1)) - 1];
    return {
      PolicyVersion: {
        Document: encodeURIComponent(document ?? ''),
        VersionId: input.VersionId,
        IsDefaultVersion: true,
      },
    };
  });
  iamMock.on(ListPolicyVersionsCommand).callsFake((input) => {
    const { versions } = policy(input.PolicyArn);
    return {
      Versions: versions.map((_, i) => ({
        VersionId: `v${i + 1}`,
        IsDefaultVersion: i === versions.length - 1,
        CreateDate: new Date(2026, 0, i + 1),
      })),
    };
  });
  iamMock.on(CreatePolicyVersionCommand).callsFake((input) => {
    write('CreatePolicyVersion', input);
    const found = policy(input.PolicyArn);
    if (found.versions.length >= 5)
      throw awsError('LimitExceededException', 'A managed policy can have up to 5 versions.');
    found.versions.push(input.PolicyDocument ?? '');
    return {};
  });
  iamMock.on(DeletePolicyVersionCommand).callsFake((input) => {
    write('DeletePolicyVersion', input);
    const found = policy(input.PolicyArn);
    found.versions.splice(Number(input.VersionId?.slice(1)) - 1, 1);
    return {};
  });

  lambdaMock.on(GetFunctionConfigurationCommand).callsFake((input) => {
    guard('GetFunctionConfiguration');
    const found = fn(input.FunctionName);
    return { FunctionName: input.FunctionName, FunctionArn: found.arn, Runtime: found.runtime };
  });
  lambdaMock.on(GetFunctionPolicyCommand).callsFake((input) => {
    const found = fn(input.FunctionName);
    if (found.statements.length === 0) {
      throw awsError('ResourceNotFoundException', 'The resource you requested does not exist.');
    }
    return { Policy: JSON.stringify({ Version: '2012-10-17', Statement: found.statements }) };
  });
  lambdaMock.on(UpdateFunctionConfigurationCommand).callsFake((input) => {
    write('UpdateFunctionConfiguration', input);
    const found = fn(input.FunctionName);
    if (input.Runtime) found.runtime = input.Runtime;
    return { FunctionArn: found.arn, Runtime: found.runtime };
  });
  lambdaMock.on(AddPermissionCommand).callsFake((input) => {
    write('AddPermission', input);
    const found = fn(input.FunctionName);
    if (found.statements.some((statement) => statement.Sid === input.StatementId)) {
      throw awsError('ResourceConflictException', 'The statement id provided already exists.');
    }
    found.statements.push({
      Sid: input.StatementId,
      Effect: 'Allow',
      Principal: { Service: input.Principal },
      Action: input.Action,
      Resource: found.arn,
      Condition: { ArnLike: { 'AWS:SourceArn': input.SourceArn } },
    });
    return {};
  });
  return account;
}

/** The pool may invoke the function, as the stack's permission says it. */
export function invokeStatement(poolArn: string, functionArn: string): Record<string, unknown> {
  return {
    Sid: 'cognito',
    Effect: 'Allow',
    Principal: { Service: 'cognito-idp.amazonaws.com' },
    Action: 'lambda:InvokeFunction',
    Resource: functionArn,
    Condition: { ArnLike: { 'AWS:SourceArn': poolArn } },
  };
}
