'use client';

import { useActionState } from 'react';
import { idleState } from '@/lib/action-state';
import { signOutEverywhereAction } from '@/server/actions/sessions';
import styles from './account-menu.module.css';

/** "Sign out of all sessions": every browser signed in as this member, this one too, goes to /login. */
export function SignOutEverywhereButton() {
  const [state, formAction, pending] = useActionState(signOutEverywhereAction, idleState);
  return (
    <form action={formAction} className={styles.everywhere}>
      <button type="submit" className={styles.signOut} disabled={pending} aria-busy={pending}>
        {pending ? 'Signing out everywhere…' : 'Sign out of all sessions'}
      </button>
      <span role="alert" className={styles.failure}>
        {state.status === 'error' ? state.message : null}
      </span>
    </form>
  );
}
