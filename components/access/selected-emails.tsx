'use client';

import { EmailAddress } from '@/components/email-address';
import type { MemberRow } from '@/lib/members';
import styles from './selected-emails.module.css';

/** The selected members' emails, as a list the dialog's reader can check before confirming. */
export function SelectedEmails({ members, label }: { members: MemberRow[]; label: string }) {
  return (
    // Scrolls past a dozen names; focusable then, so a keyboard can scroll it.
    <ul className={styles.list} aria-label={label} tabIndex={members.length > 8 ? 0 : undefined}>
      {members.map((member) => (
        <li key={member.username} className={styles.item}>
          <EmailAddress address={member.email} />
        </li>
      ))}
    </ul>
  );
}
