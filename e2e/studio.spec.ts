// Studio settings (/settings): a member gets AWS credentials for the role their access level maps to
// (checked with STS GetCallerIdentity against the embedded service, signed with those credentials),
// a promotion changes the role on the next request, and a Full-access member sees drift and repairs it.
import { DeleteGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { callerArn } from './caller-identity';
import { E2E_ADMIN_EMAIL, E2E_COGNITO_URL } from './environment';
import { expect, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';
import { StudioPage } from './pages/studio-page';
import { acceptedMember, uniqueEmail } from './sign-in-support';

test('a Manage-only member gets credentials for the Manage-only role; promoted, the Full-access role next time; removed, nothing', async ({
  page,
  admin,
}) => {
  const email = await acceptedMember(admin, 'credentials', 'manage');
  const poolId = await admin.poolId();
  await signInAs(page, admin, email);
  const studio = new StudioPage(page);
  await studio.open();
  await expect(studio.roleArn).toHaveText(`arn:aws:iam::000000000000:role/${poolId}_Manage-only`);
  // Manage only: no resources, no repair.
  await expect(studio.resources).toHaveCount(0);

  const first = await studio.requestCredentials();
  expect(first.accessKeyId).toMatch(/^ASIA/);
  await expect(studio.credentials).toContainText(`${poolId}_Manage-only`);
  expect(await callerArn(E2E_COGNITO_URL, first)).toBe(
    `arn:aws:sts::000000000000:assumed-role/${poolId}_Manage-only/CognitoIdentityCredentials`,
  );
  await studio.hideCredentials();

  await admin.setLevel(email, 'full');
  const second = await studio.requestCredentials();
  expect(await callerArn(E2E_COGNITO_URL, second)).toBe(
    `arn:aws:sts::000000000000:assumed-role/${poolId}_Full-access/CognitoIdentityCredentials`,
  );
  await page.getByRole('tab', { name: '~/.aws/credentials' }).click();
  await expect(page.getByRole('figure', { name: 'credentials profile' })).toContainText(
    '[studio-full-access]',
  );

  // Removed from the team: the page they still have open gets them nothing.
  await studio.hideCredentials();
  await admin.deleteMember(email);
  await studio.getCredentials.click();
  await expect(
    page
      .getByRole('heading', { name: 'Sign in to Studio Access' })
      .or(page.getByRole('region', { name: 'Your AWS access' }).getByRole('alert')),
  ).toBeVisible();
  await expect(studio.credentials).toHaveCount(0);
});

test('a Full-access member sees drift on Studio settings and repairs it in place', async ({
  page,
  admin,
}) => {
  await signInAs(page, admin, E2E_ADMIN_EMAIL);
  // Invited through the console, which records the level a repair gives back.
  const kept = uniqueEmail('kept-level');
  const access = new AccessPage(page);
  await access.invite(kept, 'Manage only');
  await access.closeDialog();
  const studio = new StudioPage(page);
  await studio.open();
  await expect(page.getByText('Healthy: every resource is as Studio defines it.')).toBeVisible();
  await expect(studio.repairButton).toHaveCount(0);

  await admin.client.send(
    new DeleteGroupCommand({ UserPoolId: await admin.poolId(), GroupName: 'Manage-only' }),
  );
  await studio.open();
  await expect(studio.resource('group:manage')).toContainText('Missing');
  await expect(studio.problems).toContainText('Group Manage-only: The group does not exist');

  await studio.repair();
  await expect(page.getByRole('status').filter({ hasText: 'repaired' })).toContainText('Studio is healthy');
  await expect(page.getByRole('list', { name: 'Repairs' })).toContainText(
    'Repaired Group Manage-only: Re-created it.',
  );
  await expect(studio.resource('group:manage')).toContainText('OK');
  expect(await admin.groupsOf(kept)).toEqual(['Manage-only']);

  await page.goto('/settings/activity');
  await expect(page.getByText('Repaired Studio').first()).toBeVisible();
});
