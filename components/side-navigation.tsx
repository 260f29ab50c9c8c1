'use client';

import NextLink from 'next/link';
import { usePathname } from 'next/navigation';
import styles from './side-navigation.module.css';

interface NavigationSection {
  title: string;
  links: Array<{ href: string; label: string; fullAccessOnly?: boolean; exact?: boolean }>;
}

const sections: NavigationSection[] = [
  {
    title: 'Settings',
    links: [
      { href: '/settings/access', label: 'Access control' },
      { href: '/settings/activity', label: 'Activity', fullAccessOnly: true },
      // /settings itself: the other settings pages live under it.
      { href: '/settings', label: 'Studio', exact: true },
    ],
  },
];

/**
 * The console's navigation: a side panel on wide screens, a bar above the page on phones. Links to
 * pages the member may not open are left out (the pages refuse them on the server either way).
 */
export function SideNavigation({ fullAccess }: { fullAccess: boolean }) {
  const pathname = usePathname();
  const visible = sections.map((section) => ({
    ...section,
    links: section.links.filter((link) => fullAccess || !link.fullAccessOnly),
  }));
  return (
    <nav aria-label="Console" className={styles.navigation}>
      {visible.map((section) => (
        <div key={section.title} className={styles.section}>
          <h2 className={styles.title} id={`nav-${section.title.toLowerCase()}`}>
            {section.title}
          </h2>
          <ul className={styles.links} aria-labelledby={`nav-${section.title.toLowerCase()}`}>
            {section.links.map((link) => {
              const current = pathname === link.href || (!link.exact && pathname.startsWith(`${link.href}/`));
              return (
                <li key={link.href}>
                  <NextLink
                    href={link.href}
                    className={styles.link}
                    aria-current={current ? 'page' : undefined}
                  >
                    {link.label}
                  </NextLink>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
