import { CreateUserPoolCommand, DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startLocalCognito } from '@/server/local-cognito/server';
import { sdkClient, makeTempDir } from '@/server/local-cognito/test-support';
const s = await startLocalCognito({ dataDir: makeTempDir(), port: 0, log: () => {} });
const c = sdkClient(s.url);
const { UserPool } = await c.send(new CreateUserPoolCommand({ PoolName: 'b' }));
const id = UserPool!.Id!;
for (let i = 0; i < 5000; i++) await c.send(new DescribeUserPoolCommand({ UserPoolId: id }));
c.destroy(); await s.close();
