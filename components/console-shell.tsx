import type { ReactNode } from 'react';
import styles from './console-shell.module.css';
import { SideNavigation } from './side-navigation';

/** Navigation beside (or, on phones, above) the page. */
export function ConsoleShell({ children, fullAccess }: { children: ReactNode; fullAccess: boolean }) {
  return (
    <div className={styles.shell}>
      <SideNavigation fullAccess={fullAccess} />
      <main id="main" tabIndex={-1} className={styles.main}>
        {children}
      </main>
    </div>
  );
}
