// The one shape every server action returns to its form (STYLE.md, point 2).
import type { AwsCredentialsView, RepairOutcome } from './studio';

/** What happened to one item of a bulk action (an email to invite, a member to edit or delete). */
export interface ItemResult {
  /** Stable key for the UI list: the email for invitations, the username for everything else. */
  key: string;
  email: string;
  outcome:
    | 'invited'
    | 'already-member'
    | 'invalid'
    | 'failed'
    | 'updated'
    | 'unchanged'
    | 'deleted'
    | 'resent'
    | 'disabled'
    | 'enabled'
    | 'refused';
  /** One sentence saying what happened, and for failures why and what to do. */
  message: string;
  /**
   * The same as one sentence that names the member, for when it is the only result:
   * "m1@example.com is now Full access."
   */
  summary?: string;
}

export interface ActionState<Field extends string = string> {
  status: 'idle' | 'success' | 'error';
  /** One sentence for the form's status region. */
  message?: string;
  /** Messages per field, shown beside the field (z.flattenError(...).fieldErrors). */
  fieldErrors?: Partial<Record<Field, string[]>>;
  /** Per-item outcomes of a bulk action, in the order the items were given. */
  results?: ItemResult[];
  /** Studio repairs: one outcome per resource repaired. */
  repairs?: RepairOutcome[];
  /** AWS credentials just issued to the member (shown once, kept nowhere). */
  credentials?: AwsCredentialsView;
}

export const idleState: ActionState = { status: 'idle' };
