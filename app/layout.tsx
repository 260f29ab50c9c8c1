import '@aws-amplify/ui-react/styles.css';
import './globals.css';
import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AccountMenu } from '@/components/account-menu';
import { AppHeader } from '@/components/app-header';
import { AppProviders } from '@/components/app-providers';
import { PRODUCT_NAME } from '@/lib/product';
import { NONCE_HEADER } from '@/server/http/security-headers';

const productName = PRODUCT_NAME;

export const metadata: Metadata = {
  title: { default: productName, template: `%s · ${productName}` },
  description: 'Invite team members, set their access level and remove them, on Amazon Cognito.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The page's CSP nonce (proxy.ts): the theme's style element needs it. Reading it renders every page
  // per request, which a nonce requires.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en">
      <body>
        <AppProviders nonce={nonce}>
          <AppHeader productName={productName} actions={<AccountMenu />} />
          {children}
        </AppProviders>
      </body>
    </html>
  );
}
