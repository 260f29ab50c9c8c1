// The two access levels of Amplify Studio, with its wording. Each level is a Cognito group.

export const accessLevels = ['full', 'manage'] as const;

export type AccessLevel = (typeof accessLevels)[number];

export interface AccessLevelInfo {
  level: AccessLevel;
  /** The Cognito group that grants the level. */
  group: 'Full-access' | 'Manage-only';
  label: 'Full access' | 'Manage only';
  description: string;
}

export const accessLevelInfo: Record<AccessLevel, AccessLevelInfo> = {
  full: {
    level: 'full',
    group: 'Full-access',
    label: 'Full access',
    description: 'Create and manage AWS resources for the app, including the team and its access.',
  },
  manage: {
    level: 'manage',
    group: 'Manage-only',
    label: 'Manage only',
    description: 'Edit app content and manage users.',
  },
};

export function isAccessLevel(value: unknown): value is AccessLevel {
  return value === 'full' || value === 'manage';
}

export function groupOf(level: AccessLevel): AccessLevelInfo['group'] {
  return accessLevelInfo[level].group;
}

/** The level a Cognito group grants, or undefined for a group that is not an access level. */
export function accessLevelOfGroup(groupName: string): AccessLevel | undefined {
  return accessLevels.find((level) => accessLevelInfo[level].group === groupName);
}

/** The level a set of levels amounts to: Full access wins over Manage only; null for none. */
export function strongestLevel(levels: readonly AccessLevel[]): AccessLevel | null {
  return accessLevels.find((level) => levels.includes(level)) ?? null;
}

export function accessLevelLabel(level: AccessLevel): AccessLevelInfo['label'] {
  return accessLevelInfo[level].label;
}
