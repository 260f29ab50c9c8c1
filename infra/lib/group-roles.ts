import { aws_iam as iam, type Stack } from 'aws-cdk-lib';
import { type AccessLevel, accessLevelInfo } from '../../lib/access-levels';
import { groupDescription } from '../../server/cognito/resources';
import {
  FULL_ACCESS_MANAGED_POLICY,
  groupRoleName,
  groupRoleTrust,
  IDENTITY_PRINCIPAL,
  manageOnlyStatements,
} from '../../server/studio/definitions';

// The groups' IAM roles, `<userPoolId>_Full-access` / `<userPoolId>_Manage-only`, as Amplify Studio
// names them: assumable only by authenticated identities of the one identity pool. Their trust and
// permissions come from server/studio/definitions.ts, which doctor checks and repairs against.

export function createGroupRoles(
  stack: Stack,
  options: { userPoolId: string; identityPoolId: string; amplifyAppId: string | undefined },
): Record<AccessLevel, iam.Role> {
  const { userPoolId, identityPoolId, amplifyAppId } = options;
  const role = (level: AccessLevel) =>
    new iam.Role(stack, `Role-${accessLevelInfo[level].group}`, {
      roleName: groupRoleName(userPoolId, level),
      description: groupDescription(level),
      assumedBy: new iam.FederatedPrincipal(
        IDENTITY_PRINCIPAL,
        groupRoleTrust(identityPoolId).Statement[0]!.Condition,
        'sts:AssumeRoleWithWebIdentity',
      ),
    });
  const roles = { full: role('full'), manage: role('manage') };

  const appArns = amplifyAppId
    ? [
        stack.formatArn({ service: 'amplify', resource: 'apps', resourceName: amplifyAppId }),
        stack.formatArn({ service: 'amplify', resource: 'apps', resourceName: `${amplifyAppId}/*` }),
      ]
    : undefined;
  const backendArn = amplifyAppId
    ? stack.formatArn({ service: 'amplifybackend', resource: amplifyAppId, resourceName: '*' })
    : undefined;

  // Full access: AdministratorAccess-Amplify as in the reference, or everything on one app only.
  roles.full.addManagedPolicy(
    appArns && backendArn
      ? new iam.ManagedPolicy(stack, 'FullAccessAppPolicy', {
          description: `Studio Access Full access: Amplify app ${amplifyAppId} only`,
          statements: [
            new iam.PolicyStatement({ actions: ['amplify:*'], resources: appArns }),
            new iam.PolicyStatement({ actions: ['amplifybackend:*'], resources: [backendArn] }),
          ],
        })
      : iam.ManagedPolicy.fromAwsManagedPolicyName(FULL_ACCESS_MANAGED_POLICY),
  );
  // Manage only: read the app and its backend, change nothing about how it is built or deployed.
  roles.manage.addManagedPolicy(
    new iam.ManagedPolicy(stack, 'ManageOnlyPolicy', {
      description: 'Studio Access Manage only: read the Amplify app and its backend',
      statements: manageOnlyStatements(appArns && backendArn ? { appArns, backendArn } : undefined).map(
        (statement) => iam.PolicyStatement.fromJson(statement),
      ),
    }),
  );
  return roles;
}
