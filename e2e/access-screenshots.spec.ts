import path from 'node:path';
import { AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Page } from '@playwright/test';
import { E2E_ADMIN_EMAIL } from './environment';
import { expect, type IdentityAdmin, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';

// The README's pictures, taken from a fresh console (run alone, so the team is just these people):
//   DOCS_SCREENSHOTS=1 npx playwright test e2e/access-screenshots.spec.ts
// Skipped otherwise: it writes into docs/.

const docs = path.resolve(__dirname, '..', 'docs');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(docs, name), fullPage: true });

test.skip(!process.env.DOCS_SCREENSHOTS, 'set DOCS_SCREENSHOTS=1 to refresh the screenshots in docs/');

test('screenshots of Access control settings for the README', async ({ page, browser, admin }) => {
  test.setTimeout(120_000);
  const team: Array<[string, 'full' | 'manage' | null, 'active' | 'pending' | 'disabled']> = [
    ['ana.lopez@example.com', 'full', 'active'],
    ['li.wei@example.com', 'manage', 'active'],
    ['marco.rossi@example.com', 'full', 'pending'],
    ['priya.shah@example.com', 'manage', 'pending'],
    ['sam.okafor@example.com', null, 'pending'],
    ['yuki.tanaka@example.com', 'manage', 'disabled'],
  ];
  const reader = 'li.wei@example.com';
  for (const [email, level, status] of team) {
    if (status === 'active') await acceptedMemberNamed(admin, email, level);
    else await admin.createMember(email, level);
    if (status === 'disabled') await admin.disable(email);
  }

  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAs(page, admin, E2E_ADMIN_EMAIL);
  const access = new AccessPage(page);
  await access.select('priya.shah@example.com', 'marco.rossi@example.com');
  await shot(page, 'screenshot-access.png');

  await access.invite(
    'jo.martin@example.com, li.wei@example.com\nnot-an-address\nkim.park@example.com',
    'Manage only',
  );
  await expect(access.dialog.getByRole('list', { name: 'Invite results' })).toBeVisible();
  await page.screenshot({ path: path.join(docs, 'screenshot-invite-results.png') });
  await access.closeDialog();

  await page.setViewportSize({ width: 390, height: 844 });
  await access.goto();
  await shot(page, 'screenshot-access-phone.png');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/settings/activity');
  await expect(page.getByRole('table')).toBeVisible();
  await shot(page, 'screenshot-activity.png');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByRole('table')).toBeVisible();
  await page.screenshot({ path: path.join(docs, 'screenshot-activity-phone.png') });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/settings');
  await page.getByRole('button', { name: 'Get AWS credentials' }).click();
  await expect(page.getByTestId('aws-credentials')).toBeVisible();
  await shot(page, 'screenshot-studio-settings.png');

  const theirs = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const readerPage = await theirs.newPage();
    await signInAs(readerPage, admin, reader);
    await expect(new AccessPage(readerPage).readOnlyNote).toBeVisible();
    await shot(readerPage, 'screenshot-access-read-only.png');
    await readerPage.setViewportSize({ width: 390, height: 844 });
    await readerPage.reload();
    await shot(readerPage, 'screenshot-access-read-only-phone.png');
  } finally {
    await theirs.close();
  }
});

/** A member who has accepted their invitation, at a fixed address (sign-in-support makes unique ones). */
async function acceptedMemberNamed(admin: IdentityAdmin, email: string, level: 'full' | 'manage' | null) {
  await admin.createMember(email, level);
  await admin.client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: await admin.poolId(),
      Username: email,
      Password: 'Docs-Screens-1!',
      Permanent: true,
    }),
  );
}
