import { createHmac, randomBytes, randomInt, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** RFC 4648 base32's alphabet: what AWS access key ids and role ids are drawn from. */
export const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Whether two byte strings are equal, in time that does not depend on where they differ. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Random string from an alphabet with a uniform draw per character (no modulo bias). */
export function randomString(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

export const uuid = () => randomUUID();
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

// Permanent passwords are chosen by people and can be weak: scrypt, salted, deliberately slow (75-170 ms).
// Always the asynchronous scrypt: it runs on libuv's thread pool, so the one event loop the console,
// sign-in and this service share keeps answering while passwords are checked.
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

function scryptKey(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, 32, SCRYPT, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptKey(password, salt);
  return `scrypt$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

// Temporary passwords live at most TemporaryPasswordValidityDays and are usually generated; they are
// hashed with HMAC-SHA256 under a pepper kept outside the database, so bulk invites stay fast while a
// stolen database alone still cannot be brute-forced.
export function hashTemporaryPassword(password: string, pepper: Buffer): string {
  const salt = randomBytes(16);
  const hash = createHmac('sha256', pepper).update(salt).update(password.normalize('NFKC')).digest();
  return `hmac$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string, pepper: Buffer): Promise<boolean> {
  const [scheme, saltText, hashText] = stored.split('$');
  if (!saltText || !hashText) return false;
  const salt = Buffer.from(saltText, 'base64url');
  const expected = Buffer.from(hashText, 'base64url');
  let actual: Buffer;
  if (scheme === 'scrypt') actual = await scryptKey(password, salt);
  else if (scheme === 'hmac')
    actual = createHmac('sha256', pepper).update(salt).update(password.normalize('NFKC')).digest();
  else return false;
  return sameBytes(actual, expected);
}

/** SHA-256 of a high-entropy token (refresh tokens, sessions): stored instead of the token itself. */
export function hashToken(token: string): string {
  return createHmac('sha256', 'local-cognito-token').update(token).digest('base64url');
}
