import type { Operation } from './context';
import { authOperations } from './ops/auth';
import { poolOperations } from './ops/pools';
import { userOperations } from './ops/users';

/** Every API operation the service answers, by the name in `X-Amz-Target`. */
export const operations: Record<string, Operation> = {
  ...poolOperations,
  ...userOperations,
  ...authOperations,
};
