import 'server-only';
import { ShortLivedCache } from '@/server/auth/short-cache';
import { checkIdentityBackend } from '@/server/cognito/client';

// Whether Studio is disabled: the identity service answers, but Studio's user pool is gone. The
// sign-in pages and the console say so instead of failing; one DescribeUserPool every few seconds
// at most, shared by every page view of this process.

const CHECK_MS = 5_000;
const answers = new ShortLivedCache<boolean>(CHECK_MS);

export function isStudioDisabled(): Promise<boolean> {
  return answers.get('pool', async () => {
    const health = await checkIdentityBackend();
    return !health.ok && health.poolMissing;
  });
}
