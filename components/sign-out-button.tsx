'use client';

import { useFormStatus } from 'react-dom';
import { signOutAction } from '@/server/actions/sign-in';
import styles from './account-menu.module.css';

function Submit() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" className={styles.signOut} disabled={pending} aria-busy={pending}>
      {pending ? 'Signing out…' : 'Sign out'}
    </button>
  );
}

/** "Sign out" in the header: a form, so it works before the page's JavaScript has loaded. */
export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <Submit />
    </form>
  );
}
