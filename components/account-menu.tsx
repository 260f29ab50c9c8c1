import { accessLevelLabel } from '@/lib/access-levels';
import { getSession } from '@/server/auth/dal';
import styles from './account-menu.module.css';
import { AccountMenuDismiss } from './account-menu-dismiss';
import { SignOutButton } from './sign-out-button';
import { SignOutEverywhereButton } from './sign-out-everywhere-button';

/**
 * The header's right side: who is signed in and at which level (opening a small menu with "Sign out
 * of all sessions"), and "Sign out". Empty when nobody is. A disclosure, so it works without the
 * page's JavaScript.
 */
export async function AccountMenu() {
  const session = await getSession();
  if (!session) return null;
  const level = accessLevelLabel(session.accessLevel);
  return (
    <div className={styles.account}>
      <details className={styles.menu}>
        <summary className={styles.trigger}>
          <span className={styles.visuallyHidden}>Account: </span>
          <span className={styles.identity}>
            <span className={styles.email}>{session.email}</span>
            <span className={styles.level}>{level}</span>
          </span>
          <svg className={styles.chevron} viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M3.2 5.6 8 10.4l4.8-4.8 1 1L8 12.4 2.2 6.6z" />
          </svg>
        </summary>
        <div className={styles.panel}>
          <p className={styles.panelIdentity}>
            Signed in as <strong>{session.email}</strong> with {level}.
          </p>
          <SignOutEverywhereButton />
          <p className={styles.panelNote}>Ends your session in every browser, this one included.</p>
        </div>
        <AccountMenuDismiss />
      </details>
      <SignOutButton />
    </div>
  );
}
