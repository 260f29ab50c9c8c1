import { createHash } from 'node:crypto';

// Pure (node:crypto only), so the stack, the console's configuration and the Lambda bundles share it.

/**
 * A stable 8-character code from APP_ID, the suffix of the trigger names when SHORT_CODE is not set:
 * the stack names its triggers with it, and AWS mode finds them by it.
 */
export function derivedShortCode(appId: string): string {
  const digest = createHash('sha256').update(`studio-access:${appId}`).digest();
  return BigInt(`0x${digest.subarray(0, 8).toString('hex')}`)
    .toString(36)
    .padStart(8, '0')
    .slice(-8);
}
