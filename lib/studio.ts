// Studio's managed resources as the settings page and `npm run studio` show them: what exists, in what
// state, what drifted and whether it can be repaired in place. Plain data, for both sides.

const resourceKinds = [
  'user-pool',
  'app-client',
  'group',
  'role',
  'identity-pool',
  'trigger',
  'policy',
  'team',
] as const;
export type ResourceKind = (typeof resourceKinds)[number];

export const resourceKindLabels: Record<ResourceKind, string> = {
  'user-pool': 'User pool',
  'app-client': 'App client',
  group: 'Group',
  role: 'IAM role',
  'identity-pool': 'Identity pool',
  trigger: 'Lambda trigger',
  policy: 'IAM policy',
  team: 'Team',
};

/**
 * ok: as Studio defines it. drifted: exists, but something about it is wrong. missing: does not exist.
 * unchecked: could not be checked (e.g. what it hangs on is missing, or this mode has no such thing).
 */
export type ResourceState = 'ok' | 'drifted' | 'missing' | 'unchecked';

export const resourceStateLabels: Record<ResourceState, string> = {
  ok: 'OK',
  drifted: 'Drifted',
  missing: 'Missing',
  unchecked: 'Not checked',
};

export interface ResourceStatus {
  /** Stable key of the resource, e.g. "group:full", "trigger:define-auth-challenge". */
  key: string;
  kind: ResourceKind;
  /** Its name as Amplify Studio names it, e.g. amplify_backend_manager_<APP_ID>. */
  name: string;
  /** Its id or ARN where it has one. */
  id: string | null;
  state: ResourceState;
  /** One line: what is wrong, or a fact worth seeing (e.g. the runtime, the role). */
  detail: string | null;
}

/** How a finding or repair names its resource: "Group Manage-only", "User pool amplify_backend_manager_…". */
export function resourceLabel(kind: ResourceKind, name: string): string {
  return kind === 'team' ? 'Team' : `${resourceKindLabels[kind]} ${name}`;
}

/** Something doctor found wrong with one resource. */
export interface Finding {
  /** The resource's key (ResourceStatus.key). */
  key: string;
  /** The resource, for the line that reports it (resourceLabel). */
  resource: string;
  /** What is wrong, in one sentence. */
  problem: string;
  /** Whether `doctor --repair` (and the settings page's Repair) can fix it in place. */
  repairable: boolean;
  /** When not repairable here: what to do instead. */
  remedy: string | null;
}

export interface StudioReport {
  mode: 'local' | 'aws';
  /** ISO 8601. */
  checkedAt: string;
  resources: ResourceStatus[];
  findings: Finding[];
  /** Resources that could not be read, so could not be checked: why, for each. */
  unreadable: Array<{ key: string; resource: string; reason: string }>;
}

export interface RepairOutcome {
  key: string;
  resource: string;
  outcome: 'repaired' | 'failed';
  /** What was done, or why it failed. */
  message: string;
}

/** Nothing wrong, and everything could be checked. */
export function isHealthy(report: Pick<StudioReport, 'findings' | 'unreadable'>): boolean {
  return report.findings.length === 0 && report.unreadable.length === 0;
}

export function repairableFindings(report: Pick<StudioReport, 'findings'>): Finding[] {
  return report.findings.filter((finding) => finding.repairable);
}

/** Temporary AWS credentials for the signed-in member's access level, shown once. */
export interface AwsCredentialsView {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601. */
  expiration: string;
  /** The IAM role they are for (the member's access level's). */
  roleArn: string;
  region: string;
  /** Issued by the embedded service: they work against its STS only, not against AWS. */
  local: boolean;
}

/** `aws_access_key_id`-style profile name for a role: studio-full-access / studio-manage-only. */
export function credentialsProfileName(roleArn: string): string {
  return roleArn.endsWith('_Full-access') ? 'studio-full-access' : 'studio-manage-only';
}

/** The credentials as `export` lines for a POSIX shell. */
export function shellExports(credentials: AwsCredentialsView): string {
  return [
    `export AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`,
    `export AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`,
    `export AWS_SESSION_TOKEN=${credentials.sessionToken}`,
    `export AWS_REGION=${credentials.region}`,
  ].join('\n');
}

/** The credentials as a profile for ~/.aws/credentials. */
export function credentialsFileProfile(credentials: AwsCredentialsView): string {
  return [
    `[${credentialsProfileName(credentials.roleArn)}]`,
    `aws_access_key_id = ${credentials.accessKeyId}`,
    `aws_secret_access_key = ${credentials.secretAccessKey}`,
    `aws_session_token = ${credentials.sessionToken}`,
    `region = ${credentials.region}`,
  ].join('\n');
}
