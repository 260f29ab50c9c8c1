// Studio settings in AWS mode, on aws:local: the console reads its pool and identity pool through the
// SDK's endpoint variables (the embedded service), says plainly that IAM and Lambda could not be read
// (aws:local has neither), and gets a member credentials for their level from the identity pool
// named by IDENTITY_POOL_ID, on either instance; STS (the embedded service) names the role.
import { expect, test } from '@playwright/test';
import { callerArn } from '../e2e/caller-identity';
import { LinkPage } from '../e2e/pages/link-page';
import { StudioPage } from '../e2e/pages/studio-page';
import {
  createActiveMember,
  newPage,
  on,
  operatorLink,
  setLevel,
  waitForInstanceB,
} from './aws-local-support';
import { ADMIN_EMAIL, COGNITO_URL, CONSOLE_A, CONSOLE_B } from './environment';

test.beforeAll(waitForInstanceB);

test('Studio settings in AWS mode: the resources it can read, what it cannot, and credentials on either instance', async ({
  browser,
}) => {
  const page = await newPage(browser);
  const link = new LinkPage(page);
  await link.open(await operatorLink(ADMIN_EMAIL));
  await link.signIn();
  await expect(page).toHaveURL(`${CONSOLE_A}/settings/access`);

  const studio = new StudioPage(page);
  await page.goto(`${CONSOLE_A}/settings`);
  await expect(studio.heading).toBeVisible();
  await expect(studio.resource('user-pool')).toContainText('OK');
  await expect(studio.resource('identity-pool')).toContainText('OK');
  await expect(studio.resource('role:full')).toContainText('Not checked');
  await expect(studio.resource('role:full')).toContainText('aws:local has no IAM engine');
  await expect(studio.resource('trigger:custom-message')).toContainText('aws:local has no Lambda engine');
  await expect(page.getByRole('list', { name: 'Not checked' })).toBeVisible();

  const poolId = /role\/(.+)_Full-access$/.exec((await studio.roleArn.textContent()) ?? '')?.[1];
  expect(poolId).toMatch(/^us-east-1_/);
  const full = await studio.requestCredentials();
  expect(await callerArn(COGNITO_URL, full)).toBe(
    `arn:aws:sts::000000000000:assumed-role/${poolId}_Full-access/CognitoIdentityCredentials`,
  );

  // A Manage-only member, on the other instance.
  const member = `aws-settings-${Date.now().toString(36)}@example.com`;
  await createActiveMember(member, 'full');
  const other = await newPage(browser);
  const otherLink = new LinkPage(other);
  await otherLink.open(on(CONSOLE_B, await operatorLink(member)));
  await otherLink.signIn();
  // Signed in before the level changes: setLevel leaves the member in no group for a moment, and a
  // sign-in that lands then is ended ("no access level"), as it should be.
  await expect(other).toHaveURL(`${CONSOLE_B}/settings/access`);
  await setLevel(member, 'manage');
  const onB = new StudioPage(other);
  await expect(async () => {
    await other.goto(`${CONSOLE_B}/settings`);
    await expect(onB.roleArn).toHaveText(`arn:aws:iam::000000000000:role/${poolId}_Manage-only`, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 15_000 });
  await expect(onB.resources).toHaveCount(0);
  expect(await callerArn(COGNITO_URL, await onB.requestCredentials())).toBe(
    `arn:aws:sts::000000000000:assumed-role/${poolId}_Manage-only/CognitoIdentityCredentials`,
  );
});
