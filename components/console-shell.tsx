import type { ReactNode } from 'react';
import styles from './console-shell.module.css';
import { SideNavigation } from './side-navigation';

/** Navigation beside (or, on phones, above) the page. */
export function ConsoleShell({ children }: { children: ReactNode }) {
  return (
    <div className={styles.shell}>
      <SideNavigation />
      <main id="main" tabIndex={-1} className={styles.main}>
        {children}
      </main>
    </div>
  );
}
