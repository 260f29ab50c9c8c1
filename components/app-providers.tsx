'use client';

import { ThemeProvider } from '@aws-amplify/ui-react';
import type { ReactNode } from 'react';
import { theme } from '@/lib/theme';

export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <ThemeProvider theme={theme} colorMode="light">
      {children}
    </ThemeProvider>
  );
}
