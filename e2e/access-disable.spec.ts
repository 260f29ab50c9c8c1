import { E2E_ADMIN_EMAIL } from './environment';
import { expect, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';
import { LinkPage } from './pages/link-page';
import { acceptedMember, mintLink } from './sign-in-support';

test.describe('Disable and Enable from the table', () => {
  test('a disabled member is sent to /login and their link refused; enabled, they sign in again', async ({
    page,
    browser,
    admin,
  }) => {
    const email = await acceptedMember(admin, 'pausing', 'manage');
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
    const access = new AccessPage(page);

    const theirs = await browser.newContext();
    const memberPage = await theirs.newPage();
    try {
      await signInAs(memberPage, admin, email);

      await access.searchFor(email);
      await access.expectRow(email, 'Manage only', 'Active');
      await expect(access.enableButton).toBeDisabled();
      await access.setEnabled([email], 'Disable');
      await expect(access.result).toHaveAttribute('role', 'status');
      await expect(access.result).toContainText(`${email} is disabled`);
      await access.expectRow(email, 'Manage only', 'Disabled');
      expect(await admin.status(email)).toMatchObject({ enabled: false });

      // Their next request ends the session, and a fresh link does not sign them in.
      await memberPage.goto('/settings/access');
      await expect(memberPage).toHaveURL(/\/login$/);
      const linkPage = new LinkPage(memberPage);
      await linkPage.open(await mintLink(admin, email));
      await linkPage.signIn();
      await linkPage.expectProblem('This account cannot sign in');

      await access.setEnabled([email], 'Enable');
      await expect(access.result).toContainText(`${email} is enabled again with Manage only`);
      await access.expectRow(email, 'Manage only', 'Active');
      expect(await admin.groupsOf(email)).toEqual(['Manage-only']);

      await signInAs(memberPage, admin, email);
      await expect(new AccessPage(memberPage).readOnlyNote).toBeVisible();

      // Both are in the activity log.
      await page.goto(`/settings/activity?member=${encodeURIComponent(email)}`);
      const rows = page.getByRole('table').getByRole('row');
      // Newest first: their sign-in first, the admin's Disable last; between them the admin's Enable and
      // the link refused while they were disabled (written after its answer, so in either order).
      await expect(rows).toHaveCount(6); // the header, and their first sign-in at the bottom
      await expect(rows.nth(1)).toContainText('Signed in');
      await expect(rows.filter({ hasText: 'Failed sign-in' })).toContainText('disabled');
      for (const [row, what] of [
        [rows.filter({ hasText: 'Enabled' }), 'Enabled'],
        [rows.nth(4), 'Disabled'],
      ] as const) {
        const cells = row.getByRole('cell');
        await expect(cells.nth(1)).toHaveText(E2E_ADMIN_EMAIL);
        await expect(cells.nth(2)).toContainText(what);
        await expect(cells.nth(3)).toHaveText(email);
        await expect(cells.nth(4)).toContainText('Succeeded');
      }
    } finally {
      await theirs.close();
    }
  });
});
