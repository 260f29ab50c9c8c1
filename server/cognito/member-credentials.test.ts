import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CognitoIdentityClient } from '@aws-sdk/client-cognito-identity';
import {
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import { createCognitoClient } from './client';
import { createCognitoIdentityClient } from './identity-client';
import { getCredentialsForIdToken } from './member-credentials';
import { type ProvisionResult, provision } from './provision';

// A provisioned Studio (user pool, groups, identity pool) on the embedded service, and its bootstrap
// admin's credentials as the console would get them.
const env = {
  appId: 'membercreds1',
  shortCode: 'abcd1234',
  awsRegion: 'us-east-1',
  awsAccountId: '000000000000',
  userPoolId: undefined,
  bootstrapAdminEmail: 'admin@example.com',
  sessionTtlMs: 60 * 60_000,
};
const PASSWORD = 'Corr3ct-Horse!';

let dataDir: string;
let service: LocalCognito;
let cognito: CognitoIdentityProviderClient;
let identity: CognitoIdentityClient;
let pool: ProvisionResult;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'member-credentials-test-'));
  service = await startLocalCognito({ dataDir, port: 0, log: () => {} });
  const clientEnv = {
    identityBackend: 'local' as const,
    cognitoEndpoint: service.url,
    awsRegion: 'us-east-1',
  };
  cognito = createCognitoClient(clientEnv);
  identity = createCognitoIdentityClient(clientEnv);
  pool = await provision(cognito, env, identity);
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: pool.poolId,
      Username: 'admin@example.com',
      Password: PASSWORD,
      Permanent: true,
    }),
  );
});

afterAll(async () => {
  cognito.destroy();
  identity.destroy();
  await service.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function adminIdToken(): Promise<string> {
  const out = await cognito.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'admin@example.com', PASSWORD },
    }),
  );
  return out.AuthenticationResult!.IdToken!;
}

describe('getCredentialsForIdToken', () => {
  it("returns the member's credentials for their group's role, which STS confirms", async () => {
    const request = {
      idToken: await adminIdToken(),
      userPoolId: pool.poolId,
      identityPoolId: pool.identityPoolId!,
    };
    const credentials = await getCredentialsForIdToken(identity, env, request);
    const fullAccess = `arn:aws:iam::000000000000:role/${pool.poolId}_Full-access`;
    expect(credentials).toMatchObject({
      identityId: expect.stringMatching(/^us-east-1:/),
      accessKeyId: expect.stringMatching(/^ASIALOCAL/),
      roleArn: fullAccess,
    });
    expect(credentials.expiration.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect((await getCredentialsForIdToken(identity, env, request)).identityId).toBe(credentials.identityId);

    const sts = new STSClient({ endpoint: service.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const caller = await sts.send(new GetCallerIdentityCommand({}));
      expect(caller.Arn).toBe(
        `arn:aws:sts::000000000000:assumed-role/${pool.poolId}_Full-access/CognitoIdentityCredentials`,
      );
    } finally {
      sts.destroy();
    }
  });

  it('answers not_authorized for the token of a member signed out everywhere', async () => {
    const idToken = await adminIdToken();
    await cognito.send(
      new AdminUserGlobalSignOutCommand({ UserPoolId: pool.poolId, Username: 'admin@example.com' }),
    );
    await expect(
      getCredentialsForIdToken(identity, env, {
        idToken,
        userPoolId: pool.poolId,
        identityPoolId: pool.identityPoolId!,
      }),
    ).rejects.toMatchObject({ name: 'IdentityError', code: 'not_authorized' });
  });
});
