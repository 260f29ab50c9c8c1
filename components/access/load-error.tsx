'use client';

import { Alert, Link } from '@aws-amplify/ui-react';
import NextLink from 'next/link';

/** A list could not be read (identity service down, or a page link gone stale): why, and a way back. */
export function LoadError({
  heading,
  message,
  href,
  linkText,
}: {
  heading: string;
  message: string;
  href: string;
  linkText: string;
}) {
  return (
    <Alert variation="error" role="alert" hasIcon isDismissible={false} heading={heading}>
      {message}{' '}
      <Link as={NextLink} href={href}>
        {linkText}
      </Link>
    </Alert>
  );
}
