import { Fragment } from 'react';

/**
 * An email address that wraps only after `@` or `.` ("admin@" / "example." / "com"), never inside a
 * word: a <wbr> after each, and `word-break: normal` (see globals.css `.email-address`).
 */
export function EmailAddress({ address, className }: { address: string; className?: string }) {
  return <AddressBreaks text={address} className={className} />;
}

/**
 * Text that may hold addresses (a subject such as "admin@example.com invited you"): it wraps at its
 * spaces, and inside a word only after `@` or `.`, as an EmailAddress does.
 */
export function AddressBreaks({ text, className }: { text: string; className?: string }) {
  return (
    <span className={className ? `email-address ${className}` : 'email-address'}>
      {breakPoints(text).map((part, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, in order.
        <Fragment key={index}>
          {index > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </span>
  );
}

/** "a.b@c.com" → ["a.", "b@", "c.", "com"]: one pass over the characters. */
export function breakPoints(address: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address[i];
    if ((c === '@' || c === '.') && i + 1 < address.length) {
      parts.push(address.slice(start, i + 1));
      start = i + 1;
    }
  }
  parts.push(address.slice(start));
  return parts;
}
