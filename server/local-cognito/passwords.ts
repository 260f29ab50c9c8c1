// A pool's password policy: defaults, checks with Cognito's messages, and generated temporary passwords.
import { randomInt } from 'node:crypto';
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
// Symbols that survive being pasted from an email: no quotes, backslash, backtick or space.
const SAFE_SYMBOLS = '!#$%&*+-=?@^_~';

/**
 * A random temporary password that satisfies the pool's policy: at least 12 characters (or the
 * policy's minimum), one from every required class, drawn without modulo bias and shuffled.
 */
export function generateTemporaryPassword(pool: PoolRecord): string {
  const policy = passwordPolicyOf(pool);
  const length = Math.max(policy.MinimumLength, 12);
  const chars: string[] = [];
  const pick = (alphabet: string) => alphabet[randomInt(alphabet.length)]!;
  // Every class is used even when not required: a generated password should be strong anyway.
  for (const alphabet of [LOWER, UPPER, DIGITS, SAFE_SYMBOLS]) chars.push(pick(alphabet));
  const all = LOWER + UPPER + DIGITS + SAFE_SYMBOLS;
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** When a temporary password set at `now` stops working (TemporaryPasswordValidityDays). */
export function temporaryPasswordExpiry(pool: PoolRecord, now: number): number {
  return now + passwordPolicyOf(pool).TemporaryPasswordValidityDays * DAY_MS;
}
