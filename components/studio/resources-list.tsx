'use client';

import { Badge } from '@aws-amplify/ui-react';
import {
  type ResourceState,
  type ResourceStatus,
  resourceKindLabels,
  resourceStateLabels,
} from '@/lib/studio';
import styles from './studio.module.css';

const BADGES: Record<ResourceState, 'success' | 'warning' | 'error' | undefined> = {
  ok: 'success',
  drifted: 'warning',
  missing: 'error',
  unchecked: undefined,
};

/** Every managed resource: its state, kind, name as Amplify Studio names it, and its id. */
export function ResourcesList({ resources }: { resources: readonly ResourceStatus[] }) {
  return (
    <ul className={styles.resources} aria-label="Studio resources">
      {resources.map((resource) => (
        <li key={resource.key} className={styles.resource} data-testid={`resource-${resource.key}`}>
          <span>
            <Badge size="small" variation={BADGES[resource.state]}>
              {resourceStateLabels[resource.state]}
            </Badge>
          </span>
          <span className={styles.kind}>{resourceKindLabels[resource.kind]}</span>
          <span className={styles.name}>{resource.name}</span>
          <span className={styles.id}>{resource.id ?? '—'}</span>
          {resource.detail ? <span className={styles.detail}>{resource.detail}</span> : null}
        </li>
      ))}
    </ul>
  );
}
