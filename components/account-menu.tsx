import { accessLevelLabel } from '@/lib/access-levels';
import { getSession } from '@/server/auth/dal';
import styles from './account-menu.module.css';
import { AccountMenuDismiss } from './account-menu-dismiss';
import { EmailAddress } from './email-address';
import { SignOutButton } from './sign-out-button';
import { SignOutEverywhereButton } from './sign-out-everywhere-button';

/**
 * The header's right side: an "Account" menu with who is signed in, at which level, "Sign out" and
 * "Sign out of all sessions". A <details> disclosure, so it opens before the page's JavaScript has
 * loaded and on any screen width. Empty when nobody is signed in.
 */
export async function AccountMenu() {
  const session = await getSession();
  if (!session) return null;
  return (
    <details className={styles.menu}>
      <summary className={styles.trigger}>
        <svg className={styles.icon} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5Z"
          />
        </svg>
        Account
      </summary>
      <div className={styles.panel}>
        <p className={styles.identity}>
          <span className={styles.caption}>Signed in as</span>
          <EmailAddress className={styles.email} address={session.email} />
          <span className={styles.level}>{accessLevelLabel(session.accessLevel)}</span>
        </p>
        <SignOutButton />
        <SignOutEverywhereButton />
        <p className={styles.panelNote}>Ends your session in every browser, this one included.</p>
      </div>
      <AccountMenuDismiss />
    </details>
  );
}
