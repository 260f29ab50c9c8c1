'use client';

import { Badge } from '@aws-amplify/ui-react';
import type { AccessLevel } from '@/lib/access-levels';
import { accessLevelText } from '@/lib/members';

export type StatusTone = 'success' | 'info' | 'warning' | 'error' | 'neutral';

export function AccessLevelBadge({ level }: { level: AccessLevel | null }) {
  return (
    <Badge size="small" variation={level === 'full' ? 'info' : level === null ? 'error' : undefined}>
      {accessLevelText(level)}
    </Badge>
  );
}

export function StatusBadge({ label, tone }: { label: string; tone: StatusTone }) {
  return (
    <Badge size="small" variation={tone === 'neutral' ? undefined : tone}>
      <StatusDot tone={tone} />
      {label}
    </Badge>
  );
}

const DOT_COLOURS: Record<StatusTone, string> = {
  success: 'var(--amplify-colors-green-80)',
  info: 'var(--amplify-colors-blue-80)',
  warning: 'var(--amplify-colors-orange-80)',
  error: 'var(--amplify-colors-red-80)',
  neutral: 'var(--amplify-colors-neutral-80)',
};

function StatusDot({ tone }: { tone: StatusTone }) {
  return (
    <svg
      viewBox="0 0 8 8"
      width="8"
      height="8"
      aria-hidden="true"
      focusable="false"
      style={{ marginRight: 6 }}
    >
      <circle cx="4" cy="4" r="4" fill={DOT_COLOURS[tone]} />
    </svg>
  );
}
