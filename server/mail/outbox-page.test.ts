import { describe, expect, it } from 'vitest';
import { isOutboxPageServed } from '@/server/runtime';

describe('/dev/outbox', () => {
  it('is served in local mode, in development and in production without SMTP', () => {
    expect(isOutboxPageServed({ identityBackend: 'local', isProduction: false, smtpUrl: undefined })).toBe(
      true,
    );
    expect(isOutboxPageServed({ identityBackend: 'local', isProduction: true, smtpUrl: undefined })).toBe(
      true,
    );
    expect(
      isOutboxPageServed({ identityBackend: 'local', isProduction: false, smtpUrl: 'smtp://mail:25' }),
    ).toBe(true);
  });

  it('is never served with real Cognito, nor in production with SMTP configured', () => {
    expect(isOutboxPageServed({ identityBackend: 'aws', isProduction: false, smtpUrl: undefined })).toBe(
      false,
    );
    expect(
      isOutboxPageServed({ identityBackend: 'aws', isProduction: true, smtpUrl: 'smtp://mail:25' }),
    ).toBe(false);
    expect(
      isOutboxPageServed({ identityBackend: 'local', isProduction: true, smtpUrl: 'smtp://mail:25' }),
    ).toBe(false);
  });
});
