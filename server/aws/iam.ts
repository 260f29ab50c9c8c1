import 'server-only';
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
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { cognitoCall, isIdentityError } from '@/server/cognito/errors';

// The groups' IAM roles and the console's managed policy, for the Studio lifecycle in AWS mode (the
// embedded service has no IAM): what a role trusts and what the policy names, and the writes that
// repair or remove them. Failures come out as IdentityError, like
// every other AWS call of the console.

export interface PolicyStatement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

export interface RoleState {
  name: string;
  arn: string;
  trust: PolicyDocument;
}

/** GetRole, or null when the role does not exist. IAM returns the trust policy URL-encoded. */
export async function readRole(iam: IAMClient, roleName: string): Promise<RoleState | null> {
  try {
    const { Role } = await cognitoCall(() => iam.send(new GetRoleCommand({ RoleName: roleName })));
    if (!Role?.Arn) return null;
    return { name: roleName, arn: Role.Arn, trust: parsePolicy(Role.AssumeRolePolicyDocument) };
  } catch (error) {
    if (isIdentityError(error, 'not_found')) return null;
    throw error;
  }
}

function parsePolicy(encoded: string | undefined): PolicyDocument {
  if (!encoded) return {};
  try {
    return JSON.parse(decodeURIComponent(encoded)) as PolicyDocument;
  } catch {
    return {};
  }
}

export function statementsOf(document: PolicyDocument): PolicyStatement[] {
  const statements = document.Statement;
  if (!statements) return [];
  return Array.isArray(statements) ? statements : [statements];
}

export async function setRoleTrust(iam: IAMClient, roleName: string, trust: PolicyDocument): Promise<void> {
  await cognitoCall(() =>
    iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: roleName, PolicyDocument: JSON.stringify(trust) }),
    ),
  );
}

export interface RolePermissions {
  /** AWS managed or customer managed policies to attach. */
  managedPolicyArns: readonly string[];
  /** Inline policies by name. */
  inline: Readonly<Record<string, PolicyDocument>>;
}

export async function createRole(
  iam: IAMClient,
  role: { name: string; description: string; trust: PolicyDocument; permissions: RolePermissions },
): Promise<string> {
  const { Role } = await cognitoCall(() =>
    iam.send(
      new CreateRoleCommand({
        RoleName: role.name,
        Description: role.description,
        AssumeRolePolicyDocument: JSON.stringify(role.trust),
        Tags: [{ Key: 'studio-access:managed', Value: 'true' }],
      }),
    ),
  );
  for (const arn of role.permissions.managedPolicyArns) {
    await cognitoCall(() => iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: arn })));
  }
  for (const [name, document] of Object.entries(role.permissions.inline)) {
    await cognitoCall(() =>
      iam.send(
        new PutRolePolicyCommand({
          RoleName: role.name,
          PolicyName: name,
          PolicyDocument: JSON.stringify(document),
        }),
      ),
    );
  }
  return Role?.Arn ?? '';
}

/** IAM deletes a role only once it has no policies: detach and delete those first. Gone already is fine. */
export async function deleteRole(iam: IAMClient, roleName: string): Promise<void> {
  try {
    const attached = await cognitoCall(() =>
      iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
    );
    for (const policy of attached.AttachedPolicies ?? []) {
      await cognitoCall(() =>
        iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.PolicyArn })),
      );
    }
    const inline = await cognitoCall(() => iam.send(new ListRolePoliciesCommand({ RoleName: roleName })));
    for (const name of inline.PolicyNames ?? []) {
      await cognitoCall(() =>
        iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name })),
      );
    }
    await cognitoCall(() => iam.send(new DeleteRoleCommand({ RoleName: roleName })));
  } catch (error) {
    if (!isIdentityError(error, 'not_found')) throw error;
  }
}

export interface ManagedPolicyState {
  arn: string;
  /** The default version's document. */
  document: PolicyDocument;
}

/** A customer managed policy's default version, or null when the policy does not exist. */
export async function readManagedPolicy(iam: IAMClient, arn: string): Promise<ManagedPolicyState | null> {
  try {
    const { Policy } = await cognitoCall(() => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
    if (!Policy?.DefaultVersionId) return null;
    const { PolicyVersion } = await cognitoCall(() =>
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: Policy.DefaultVersionId })),
    );
    return { arn, document: parsePolicy(PolicyVersion?.Document) };
  } catch (error) {
    if (isIdentityError(error, 'not_found')) return null;
    throw error;
  }
}

/**
 * Makes `document` the policy's default version. IAM keeps five versions at most: the oldest one
 * that is not the default goes first.
 */
export async function setManagedPolicy(iam: IAMClient, arn: string, document: PolicyDocument): Promise<void> {
  const { Versions = [] } = await cognitoCall(() =>
    iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn })),
  );
  if (Versions.length >= 5) {
    const oldest = Versions.filter((version) => !version.IsDefaultVersion).sort(
      (a, b) => (a.CreateDate?.getTime() ?? 0) - (b.CreateDate?.getTime() ?? 0),
    )[0];
    if (oldest?.VersionId) {
      await cognitoCall(() =>
        iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: oldest.VersionId })),
      );
    }
  }
  await cognitoCall(() =>
    iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: JSON.stringify(document),
        SetAsDefault: true,
      }),
    ),
  );
}
