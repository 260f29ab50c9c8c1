'use client';

import { Button } from '@aws-amplify/ui-react';
import { useState } from 'react';
import styles from './studio.module.css';

/** A block of text to paste somewhere, with a Copy button that says when it worked. */
export function CopySnippet({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <figure className={styles.snippet} aria-label={label}>
      <pre>{text}</pre>
      <Button size="small" className={styles.copy} onClick={copy} aria-label={`Copy ${label}`}>
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
      </Button>
    </figure>
  );
}
