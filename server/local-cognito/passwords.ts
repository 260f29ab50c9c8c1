// A pool's password policy: defaults, checks with Cognito's messages, and generated temporary passwords.
import { randomBytes } from 'node:crypto';
import { CognitoError } from './errors';
import type { PoolRecord } from './store';

export interface PasswordPolicy {
  MinimumLength: number;
  RequireUppercase: boolean;
  RequireLowercase: boolean;
  RequireNumbers: boolean;
  RequireSymbols: boolean;
  TemporaryPasswordValidityDays: number;
}

/** Cognito's policy for a pool created without one. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

const DAY_MS = 24 * 60 * 60 * 1000;

export function passwordPolicyOf(pool: PoolRecord): PasswordPolicy {
  return { ...DEFAULT_PASSWORD_POLICY, ...pool.config.Policies?.PasswordPolicy };
}

// The characters Cognito counts as symbols (a space counts too, but not at either end).
const SYMBOLS = '^$*.[]{}()?"!@#%&/\\,><\':;|_~`=+- ';
const hasSymbol = (password: string) => [...password].some((char) => SYMBOLS.includes(char));

const policyError = (reason: string) =>
  new CognitoError('InvalidPasswordException', `Password did not conform with policy: ${reason}`);

/** Throws InvalidPasswordException, with Cognito's message, when `password` breaks the pool's policy. */
export function checkPassword(pool: PoolRecord, password: string): void {
  const policy = passwordPolicyOf(pool);
  if ([...password].length < policy.MinimumLength) throw policyError('Password not long enough');
  if (policy.RequireLowercase && !/[a-z]/.test(password)) {
    throw policyError('Password must have lowercase characters');
  }
  if (policy.RequireUppercase && !/[A-Z]/.test(password)) {
    throw policyError('Password must have uppercase characters');
  }
  if (policy.RequireNumbers && !/[0-9]/.test(password)) {
    throw policyError('Password must have numeric characters');
  }
  if (policy.RequireSymbols && !hasSymbol(password)) {
    throw policyError('Password must have symbol characters');
  }
}

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// Symbols that survive being pasted from an email: no quotes, backslash, backtick or space, and no
// `&` or `<`: Cognito puts the password into the HTML message unescaped, where "&not" would show as "¬".
const SAFE_SYMBOLS = '!#$%*+-=?@^_~';

/**
 * A random temporary password that satisfies the pool's policy: at least 12 characters (or the
 * policy's minimum), one from every character class, shuffled. Characters come from one buffer of
 * random bytes by rejection sampling (uniform, no modulo bias) — one system call per password.
 */
export function generateTemporaryPassword(pool: PoolRecord): string {
  const policy = passwordPolicyOf(pool);
  const length = Math.max(policy.MinimumLength, 12);
  const random = new RandomBytes(length * 4);
  const chars: string[] = [];
  // Every class is used even when not required: a generated password should be strong anyway.
  for (const alphabet of [LOWER, UPPER, DIGITS, SAFE_SYMBOLS])
    chars.push(alphabet[random.below(alphabet.length)]!);
  const all = LOWER + UPPER + DIGITS + SAFE_SYMBOLS;
  while (chars.length < length) chars.push(all[random.below(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Uniform random integers below n (n ≤ 256) drawn from a buffer of random bytes, refilled as needed. */
class RandomBytes {
  private buffer: Buffer;
  private offset = 0;
  constructor(private readonly size: number) {
    this.buffer = randomBytes(size);
  }
  below(n: number): number {
    const limit = 256 - (256 % n);
    for (;;) {
      if (this.offset === this.buffer.length) {
        this.buffer = randomBytes(this.size);
        this.offset = 0;
      }
      const byte = this.buffer[this.offset++]!;
      if (byte < limit) return byte % n;
    }
  }
}

/** When a temporary password set at `now` stops working (TemporaryPasswordValidityDays). */
export function temporaryPasswordExpiry(pool: PoolRecord, now: number): number {
  return now + passwordPolicyOf(pool).TemporaryPasswordValidityDays * DAY_MS;
}
