// The one shape every server action returns to its form (STYLE.md, point 2).

export interface ActionState<Field extends string = string> {
  status: 'idle' | 'success' | 'error';
  /** One sentence for the form's status region. */
  message?: string;
  /** Messages per field, shown beside the field (z.flattenError(...).fieldErrors). */
  fieldErrors?: Partial<Record<Field, string[]>>;
}

export const idleState: ActionState = { status: 'idle' };
