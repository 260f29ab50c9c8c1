import { type AccessLevel, accessLevelInfo } from '@/lib/access-levels';

// What Studio's AWS-only resources must look like, in one place for the stack (infra/) and for
// doctor's checks and repairs (./checks, ./repair): the group roles' names, trust and permissions,
// and the triggers' runtime. No SDK, no env: plain data.

/** The trigger runtime the stack deploys (infra/lib/triggers.ts) and a repair moves a trigger to. */
export const TRIGGER_RUNTIME = 'nodejs24.x';

/**
 * The oldest Node.js runtime Lambda still supports: Node.js 20 reached its end of life on
 * 2026-04-30 and Lambda deprecates a runtime with it, so nodejs20.x and older count as deprecated.
 */
const OLDEST_SUPPORTED_NODE_MAJOR = 22;

/** Whether a Lambda runtime id is a Node.js runtime Lambda no longer supports (or not Node.js at all). */
export function isDeprecatedRuntime(runtime: string | null): boolean {
  const major = /^nodejs(\d+)\.x$/.exec(runtime ?? '')?.[1];
  return major === undefined || Number(major) < OLDEST_SUPPORTED_NODE_MAJOR;
}

/** `<userPoolId>_Full-access` / `<userPoolId>_Manage-only`, as Amplify Studio names them. */
export function groupRoleName(userPoolId: string, level: AccessLevel): string {
  return `${userPoolId}_${accessLevelInfo[level].group}`;
}

export const IDENTITY_PRINCIPAL = 'cognito-identity.amazonaws.com';

/**
 * A group role's trust: web identities from the one identity pool, authenticated only, may assume it.
 */
export function groupRoleTrust(identityPoolId: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: IDENTITY_PRINCIPAL },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${IDENTITY_PRINCIPAL}:aud`]: identityPoolId },
          'ForAnyValue:StringLike': { [`${IDENTITY_PRINCIPAL}:amr`]: 'authenticated' },
        },
      },
    ],
  };
}

/** The AWS managed policy Amplify Studio gives the Full-access role. */
export const FULL_ACCESS_MANAGED_POLICY = 'AdministratorAccess-Amplify';

/**
 * Manage only: read the Amplify app and its backend, change nothing about how it is built or deployed.
 * `resources` are the app's ARNs when the stack is scoped to one Amplify app, else every app.
 */
export function manageOnlyStatements(scope?: { appArns: string[]; backendArn: string }) {
  return [
    {
      Effect: 'Allow',
      Action: [
        'amplify:GetApp',
        'amplify:GetBranch',
        'amplify:GetBackendEnvironment',
        'amplify:ListBranches',
        'amplify:ListBackendEnvironments',
      ],
      Resource: scope?.appArns ?? ['*'],
    },
    {
      Effect: 'Allow',
      Action: ['amplifybackend:GetBackend', 'amplifybackend:GetBackendJob', 'amplifybackend:ListBackendJobs'],
      Resource: [scope?.backendArn ?? '*'],
    },
  ];
}

/** The console's own managed policy, as the stack names it. */
export function consolePolicyName(appId: string): string {
  return `studio-access-console-${appId}`;
}
