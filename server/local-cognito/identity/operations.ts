import type { Operation } from '../context';
import { identityOperations } from './identities';
import { identityPoolOperations } from './pools';
import { identityRoleOperations } from './roles';

/** Every Cognito Identity operation the service answers, by the name in `X-Amz-Target`. */
export const cognitoIdentityOperations: Record<string, Operation> = {
  ...identityPoolOperations,
  ...identityRoleOperations,
  ...identityOperations,
};
