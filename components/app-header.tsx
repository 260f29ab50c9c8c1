import NextLink from 'next/link';
import type { ReactNode } from 'react';
import styles from './app-header.module.css';

/** The console's top bar: product name, and a slot on the right (the signed-in member, "Sign out"). */
export function AppHeader({ productName, actions }: { productName: string; actions?: ReactNode }) {
  return (
    <header className={styles.header}>
      <a className={styles.skipLink} href="#main">
        Skip to main content
      </a>
      <NextLink href="/" className={styles.brand}>
        <svg className={styles.mark} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3Zm0 5a3 3 0 0 1 1 5.83V16h-2v-3.17A3 3 0 0 1 12 7Z"
          />
        </svg>
        <span>{productName}</span>
      </NextLink>
      {actions ? <div className={styles.actions}>{actions}</div> : null}
    </header>
  );
}
