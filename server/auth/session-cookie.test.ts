import { hkdfSync, randomBytes } from 'node:crypto';
import { EncryptJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  type SessionData,
  sealSession,
  sessionCookieName,
  sessionCookieOptions,
  unsealSession,
} from './session-cookie';

const SECRET = randomBytes(32).toString('base64url');
const T0 = Date.UTC(2030, 0, 1, 12);
const TTL = 5.5 * 3_600_000;
const session: SessionData = {
  sessionId: randomBytes(32).toString('base64url'),
  sub: '2f4c3c9e-0000-4000-8000-000000000001',
  username: '2f4c3c9e-0000-4000-8000-000000000001',
  email: 'ana@example.com',
  refreshToken: 'refresh-token-value',
  issuedAt: T0,
  expiresAt: T0 + TTL,
};

describe('session cookie contents', () => {
  it('round-trips while the session lasts', async () => {
    const sealed = await sealSession(session, SECRET);
    expect(await unsealSession(sealed, SECRET, T0 + 1000)).toEqual(session);
    expect(await unsealSession(sealed, SECRET, T0 + TTL - 1000)).toEqual(session);
  });

  it('ends at the absolute lifetime', async () => {
    const sealed = await sealSession(session, SECRET);
    expect(await unsealSession(sealed, SECRET, T0 + TTL)).toBeNull();
  });

  it('cannot be read by the browser: nothing inside is in clear text', async () => {
    const sealed = await sealSession(session, SECRET);
    const decoded = sealed
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join('|');
    for (const value of [session.sessionId, session.email, session.sub, session.refreshToken!])
      expect(decoded).not.toContain(value);
  });

  it('refuses an altered value, another key, and garbage', async () => {
    const sealed = await sealSession(session, SECRET);
    const parts = sealed.split('.');
    const ciphertext = parts[3]!;
    parts[3] = `${ciphertext.slice(0, 5)}${ciphertext[5] === 'A' ? 'B' : 'A'}${ciphertext.slice(6)}`;
    expect(await unsealSession(parts.join('.'), SECRET, T0)).toBeNull();
    expect(await unsealSession(sealed, randomBytes(32).toString('base64url'), T0)).toBeNull();
    expect(await unsealSession('not-a-cookie', SECRET, T0)).toBeNull();
    expect(await unsealSession(undefined, SECRET, T0)).toBeNull();
  });

  it('refuses a cookie of the version before session records (no session id), even if it is sealed right', async () => {
    // Exactly what that version sealed: the same key derivation and claims, without `sid`.
    const key = hkdfSync(
      'sha256',
      Buffer.from(SECRET, 'base64url'),
      new Uint8Array(0),
      'studio-access session cookie v1',
      32,
    );
    const legacy = await new EncryptJWT({
      usr: session.username,
      eml: session.email,
      rt: session.refreshToken,
    })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setSubject(session.sub)
      .setIssuer('studio-access')
      .setAudience('studio-access-session')
      .setIssuedAt(Math.floor(T0 / 1000))
      .setExpirationTime(Math.floor((T0 + TTL) / 1000))
      .encrypt(new Uint8Array(key));
    expect(await unsealSession(legacy, SECRET, T0 + 1000)).toBeNull();
    // The same cookie with a session id opens.
    const current = await sealSession(session, SECRET);
    expect(await unsealSession(current, SECRET, T0 + 1000)).toEqual(session);
  });
});

describe('session cookie flags', () => {
  it('on http: httpOnly, SameSite=Lax, Path=/, not Secure, no __Host- prefix', () => {
    expect(sessionCookieName('http://localhost:3000')).toBe('studio-session');
    expect(sessionCookieOptions('http://localhost:3000', 19_800)).toEqual({
      httpOnly: true,
      secure: false,
      sameSite: 'lax',
      path: '/',
      maxAge: 19_800,
    });
  });

  it('on https: the __Host- prefix and Secure', () => {
    expect(sessionCookieName('https://studio.example.com')).toBe('__Host-studio-session');
    expect(sessionCookieOptions('https://studio.example.com', 19_800)).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'lax',
      path: '/',
    });
  });
});
