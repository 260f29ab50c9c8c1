import { describe, expect, it } from 'vitest';
import { checkPassword, generateTemporaryPassword } from './passwords';
import type { PoolRecord } from './store';

const pool: PoolRecord = {
  id: 'us-east-1_abcdefghi',
  name: 'test',
  arn: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abcdefghi',
  config: {
    Policies: {
      PasswordPolicy: {
        MinimumLength: 14,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
      },
    },
  },
  createdAt: 0,
  updatedAt: 0,
};

describe('generated temporary passwords', () => {
  it('meet the pool policy and read the same in an HTML invitation as in plain text', () => {
    for (let i = 0; i < 2000; i++) {
      const password = generateTemporaryPassword(pool);
      expect(password.length).toBeGreaterThanOrEqual(14);
      expect(() => checkPassword(pool, password)).not.toThrow();
      // Cognito inserts the password into the HTML message unescaped.
      expect(password).not.toMatch(/[&<>"'`\\\s]/);
    }
  });
});
