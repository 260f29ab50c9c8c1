import 'server-only';
import { ShortLivedCache } from '@/server/auth/short-cache';
import { getPoolInfo } from '@/server/cognito/client';
import { isIdentityError } from '@/server/cognito/errors';

// Whether Studio is disabled: the identity service answers, but Studio's user pool is not there. The
// sign-in pages and the console say so instead of failing. Free while the pool is known (getPoolInfo
// keeps it, and forgets it when a call finds it gone); without one, one look-up every few seconds
// at most, shared by every page view of this process.

const CHECK_MS = 5_000;
const answers = new ShortLivedCache<boolean>(CHECK_MS);

export function isStudioDisabled(): Promise<boolean> {
  return answers.get('pool', async () => {
    try {
      await getPoolInfo();
      return false;
    } catch (error) {
      // Any other failure (the service down, say) is not "disabled": the pages report it themselves.
      return isIdentityError(error, 'not_found');
    }
  });
}
