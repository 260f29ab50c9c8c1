import { accessLevelLabel } from '@/lib/access-levels';
import { getSession } from '@/server/auth/dal';
import styles from './account-menu.module.css';
import { SignOutButton } from './sign-out-button';
import { SignOutEverywhereButton } from './sign-out-everywhere-button';

/**
 * The header's right side: who is signed in, at which level, "Sign out of all sessions" and
 * "Sign out". Empty when nobody is.
 */
export async function AccountMenu() {
  const session = await getSession();
  if (!session) return null;
  return (
    <div className={styles.account}>
      <span className={styles.identity}>
        <span className={styles.email}>{session.email}</span>
        <span className={styles.level}>{accessLevelLabel(session.accessLevel)}</span>
      </span>
      <SignOutEverywhereButton />
      <SignOutButton />
    </div>
  );
}
