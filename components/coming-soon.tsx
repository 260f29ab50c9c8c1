'use client';

import { Alert } from '@aws-amplify/ui-react';
import type { ReactNode } from 'react';

/** Says plainly that a page's feature is not built yet; shows no sample data. */
export function ComingSoon({ heading, children }: { heading: string; children: ReactNode }) {
  return (
    <Alert variation="info" heading={heading} role="status">
      {children}
    </Alert>
  );
}
