import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/** The role credentials stand for, as STS GetCallerIdentity (the embedded service's, at `endpoint`) names it. */
export async function callerArn(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
): Promise<string | undefined> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    sts.destroy();
  }
}
