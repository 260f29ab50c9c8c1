// The session cookie's contents and flags, without Next: sealed (AES-256-GCM, as a JWE with `dir`)
// under a key derived from SESSION_SECRET, so the browser holds it but can neither read nor alter it.
import { hkdfSync } from 'node:crypto';
import { EncryptJWT, errors, jwtDecrypt } from 'jose';

export interface SessionData {
  /** The session record's id (256 random bits, base64url); the server keeps only its hash. */
  sessionId: string;
  /** Cognito's `sub`: a member deleted and invited again under the same name is a new member. */
  sub: string;
  username: string;
  email: string;
  /** This session's Cognito refresh token, revoked at sign-out. */
  refreshToken?: string;
  /** Milliseconds since the epoch. The lifetime is absolute: nothing extends it. */
  issuedAt: number;
  expiresAt: number;
}

export interface CookieOptions {
  httpOnly: true;
  secure: boolean;
  sameSite: 'lax';
  path: '/';
  maxAge: number;
}

const ISSUER = 'studio-access';
const AUDIENCE = 'studio-access-session';

/** `__Host-` on https: the browser then insists on Secure, Path=/ and no Domain, so no subdomain can set it. */
export function sessionCookieName(publicUrl: string): string {
  return isHttps(publicUrl) ? '__Host-studio-session' : 'studio-session';
}

export function sessionCookieOptions(publicUrl: string, maxAgeSeconds: number): CookieOptions {
  return { httpOnly: true, secure: isHttps(publicUrl), sameSite: 'lax', path: '/', maxAge: maxAgeSeconds };
}

const isHttps = (publicUrl: string) => publicUrl.startsWith('https:');

function keyFrom(sessionSecret: string): Uint8Array {
  const material = Buffer.from(sessionSecret, 'base64url');
  if (material.length < 32) throw new Error('SESSION_SECRET must hold at least 32 bytes');
  return new Uint8Array(
    hkdfSync('sha256', material, new Uint8Array(0), 'studio-access session cookie v1', 32),
  );
}

export async function sealSession(data: SessionData, sessionSecret: string): Promise<string> {
  return new EncryptJWT({
    sid: data.sessionId,
    usr: data.username,
    eml: data.email,
    ...(data.refreshToken ? { rt: data.refreshToken } : {}),
  })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setSubject(data.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(data.issuedAt / 1000))
    .setExpirationTime(Math.floor(data.expiresAt / 1000))
    .encrypt(keyFrom(sessionSecret));
}

/** A session id as sealSession is given it: 32 bytes in base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * The session in a cookie value, or null when it is absent, altered, sealed under another key,
 * expired, or from a version that had no session records (no session id: refused, sign in again).
 */
export async function unsealSession(
  value: string | undefined,
  sessionSecret: string,
  now: number,
): Promise<SessionData | null> {
  if (!value) return null;
  try {
    const { payload } = await jwtDecrypt(value, keyFrom(sessionSecret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: new Date(now),
      clockTolerance: 0,
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    const { sid, sub, usr, eml, rt, iat, exp } = payload;
    if (typeof sid !== 'string' || !SESSION_ID.test(sid)) return null;
    if (typeof sub !== 'string' || typeof usr !== 'string' || typeof eml !== 'string') return null;
    if (typeof iat !== 'number' || typeof exp !== 'number') return null;
    return {
      sessionId: sid,
      sub,
      username: usr,
      email: eml,
      ...(typeof rt === 'string' ? { refreshToken: rt } : {}),
      issuedAt: iat * 1000,
      expiresAt: exp * 1000,
    };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
