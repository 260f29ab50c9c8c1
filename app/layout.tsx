import '@aws-amplify/ui-react/styles.css';
import './globals.css';
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { AccountMenu } from '@/components/account-menu';
import { AppHeader } from '@/components/app-header';
import { AppProviders } from '@/components/app-providers';
import { PRODUCT_NAME } from '@/lib/product';

const productName = PRODUCT_NAME;

export const metadata: Metadata = {
  title: { default: productName, template: `%s · ${productName}` },
  description: 'Invite team members, set their access level and remove them, on Amazon Cognito.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <AppProviders>
          <AppHeader productName={productName} actions={<AccountMenu />} />
          {children}
        </AppProviders>
      </body>
    </html>
  );
}
