'use client';

import { ThemeProvider } from '@aws-amplify/ui-react';
import type { ReactNode } from 'react';
import { theme } from '@/lib/theme';

export function AppProviders({ children, nonce }: { children: ReactNode; nonce: string | undefined }) {
  return (
    <ThemeProvider theme={theme} colorMode="light" nonce={nonce}>
      {children}
    </ThemeProvider>
  );
}
