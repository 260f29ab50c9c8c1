import type { Metadata } from 'next';
import { LoadError } from '@/components/access/load-error';
import { PageHeader } from '@/components/page-header';
import { AwsAccessPanel } from '@/components/studio/aws-access-panel';
import { HealthPanel } from '@/components/studio/health-panel';
import { LifecyclePanel } from '@/components/studio/lifecycle-panel';
import type { StudioReport } from '@/lib/studio';
import { requireMember } from '@/server/auth/dal';
import { getEnv } from '@/server/env';
import { getRoleOfLevel, getStudioReport } from '@/server/studio/console';

export const metadata: Metadata = { title: 'Studio settings' };

export default async function StudioSettingsPage() {
  const session = await requireMember();
  const env = getEnv();
  const full = session.accessLevel === 'full';

  const [roleArn, report] = await Promise.all([
    getRoleOfLevel(session.accessLevel).catch((error: unknown) => {
      console.error(
        `studio settings: role not read: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }),
    full
      ? getStudioReport(session).catch((error: unknown): null => {
          console.error(
            `studio settings: not checked: ${error instanceof Error ? error.message : String(error)}`,
          );
          return null;
        })
      : Promise.resolve<StudioReport | null>(null),
  ]);

  return (
    <>
      <PageHeader
        title="Studio settings"
        description={
          full
            ? 'The resources Studio runs on and their health, and AWS credentials for your access level.'
            : 'AWS credentials for your access level.'
        }
        crumbs={[{ label: 'Settings' }, { label: 'Studio settings' }]}
      />
      <AwsAccessPanel
        level={session.accessLevel}
        roleArn={roleArn}
        localEndpoint={env.identityBackend === 'local' ? (env.cognitoEndpoint ?? null) : null}
      />
      {full && report ? <HealthPanel report={report} /> : null}
      {full && !report ? (
        <LoadError
          heading="Studio's resources could not be checked"
          message="The identity service did not answer, or the console may not read them. Reload the page in a moment."
          href="/settings"
          linkText="Check again"
        />
      ) : null}
      {full ? <LifecyclePanel appId={env.appId} /> : null}
    </>
  );
}
