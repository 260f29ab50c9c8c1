import { CreateUserPoolCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '@/server/local-cognito/test-support';
import { deleteUserPool, readUserPool, updateUserPool } from './pool-state';

// UpdateUserPool resets every setting it is not given (Cognito's rule, kept by the embedded service):
// doctor's repairs change one thing and must send everything else back as it was.

let t: TestService;

beforeAll(async () => {
  t = await startTestService();
});

afterAll(() => t?.close());

async function poolWithSettings(): Promise<string> {
  const { UserPool } = await t.client.send(
    new CreateUserPoolCommand({
      PoolName: 'amplify_backend_manager_poolstate',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      Policies: {
        PasswordPolicy: { MinimumLength: 12, RequireSymbols: true, TemporaryPasswordValidityDays: 3 },
      },
      LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:someone-elses-trigger' },
      EmailVerificationSubject: 'Your code',
      UserPoolTags: { team: 'web' },
      DeletionProtection: 'ACTIVE',
    }),
  );
  return UserPool!.Id!;
}

describe("the pool's settings, as doctor reads and repairs them", () => {
  it('changes only what the repair names and sends every other setting back', async () => {
    const id = await poolWithSettings();
    expect(await readUserPool(t.client, id)).toMatchObject({
      allowAdminCreateUserOnly: false,
      temporaryPasswordValidityDays: 3,
      deletionProtection: true,
      triggers: {},
    });
    await updateUserPool(t.client, id, {
      allowAdminCreateUserOnly: true,
      temporaryPasswordValidityDays: 7,
      triggers: {
        'custom-message': 'arn:aws:lambda:us-east-1:000000000000:function:amplify-login-custom-message-x',
      },
    });
    const { UserPool } = await t.client.send(new DescribeUserPoolCommand({ UserPoolId: id }));
    expect(UserPool?.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(true);
    expect(UserPool?.Policies?.PasswordPolicy).toMatchObject({
      MinimumLength: 12,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    expect(UserPool?.LambdaConfig).toEqual({
      PreSignUp: 'arn:aws:lambda:us-east-1:000000000000:function:someone-elses-trigger',
      CustomMessage: 'arn:aws:lambda:us-east-1:000000000000:function:amplify-login-custom-message-x',
    });
    expect(UserPool?.EmailVerificationSubject).toBe('Your code');
    expect(UserPool?.UserPoolTags).toEqual({ team: 'web' });
    expect(UserPool?.DeletionProtection).toBe('ACTIVE');
  });

  it('deletes a pool under deletion protection by turning it off first; a missing pool reads as null', async () => {
    const id = await poolWithSettings();
    await deleteUserPool(t.client, id);
    expect(await readUserPool(t.client, id)).toBeNull();
    await expect(deleteUserPool(t.client, id)).resolves.toBeUndefined();
  });
});
