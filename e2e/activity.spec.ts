import { E2E_ADMIN_EMAIL } from './environment';
import { expect, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';

test.describe('Activity', () => {
  test.beforeEach(async ({ page, admin }) => {
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
  });

  test('records who invited, changed and deleted whom, with the outcome, filterable by member', async ({
    page,
  }) => {
    const email = `audited-${Date.now().toString(36)}@example.com`;
    const access = new AccessPage(page);
    await access.invite(email, 'Manage only');
    await access.closeDialog();
    await access.searchFor(email);
    await access.editLevel([email], 'Full access');
    await expect(access.result).toBeVisible();
    await access.deleteMembers([email]);
    await expect(access.result).toBeVisible();

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Activity' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
    const filter = page.getByRole('searchbox', { name: 'Filter by member email' });
    await filter.fill(email);
    await filter.press('Enter');
    await expect(page).toHaveURL(new RegExp(`member=${encodeURIComponent(email)}`));

    const rows = page.getByRole('table').getByRole('row');
    // Header + three entries, newest first.
    await expect(rows).toHaveCount(4);
    const cells = async (index: number) => rows.nth(index).getByRole('cell').allTextContents();
    const [deleted, changed, invited] = [await cells(1), await cells(2), await cells(3)];
    expect(deleted.slice(1)).toEqual([
      E2E_ADMIN_EMAIL,
      expect.stringContaining('Deleted'),
      email,
      expect.stringContaining('Succeeded'),
    ]);
    expect(changed[2]).toContain('Changed access level');
    expect(changed[2]).toMatch(/Manage only.*Full access/);
    expect(changed[3]).toBe(email);
    expect(invited[2]).toContain('Invited');
    expect(invited[1]).toBe(E2E_ADMIN_EMAIL);
    for (const row of [deleted, changed, invited]) expect(row[0]).toMatch(/\d{4}, \d{2}:\d{2} UTC$/);

    // Sign-ins are recorded too, under the member who signed in.
    await filter.fill(E2E_ADMIN_EMAIL);
    await filter.press('Enter');
    await expect(page.getByRole('table')).toContainText('Signed in');
  });

  test('pages through the log without losing or repeating entries', async ({ page }) => {
    const stamp = Date.now().toString(36);
    const emails = Array.from(
      { length: 55 },
      (_, i) => `logged-${stamp}-${String(i).padStart(2, '0')}@example.com`,
    );
    const access = new AccessPage(page);
    await access.invite(emails.join('\n'), 'Manage only');
    await access.closeDialog();

    await page.goto('/settings/activity');
    const pages = page.getByRole('navigation', { name: 'Activity log pages' });
    await expect(pages).toContainText('Page 1');
    const whom = () =>
      page
        .getByRole('table')
        .getByRole('row')
        .evaluateAll((rows) => rows.slice(1).map((row) => row.querySelectorAll('td')[3]?.textContent ?? ''));
    const first = await whom();
    expect(first).toHaveLength(50);
    await pages.getByRole('link', { name: 'Next' }).click();
    await expect(pages).toContainText('Page 2');
    const second = await whom();
    const logged = [...first, ...second].filter((email) => email.startsWith(`logged-${stamp}-`));
    expect(logged.sort()).toEqual(emails);

    await pages.getByRole('link', { name: 'Previous' }).click();
    await expect(pages).toContainText('Page 1');
    expect(await whom()).toEqual(first);
  });
});
