import { openSqliteMemberStores } from '@/server/members/sqlite';
import { E2E_ADMIN_EMAIL, E2E_DATA_DIR } from './environment';
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

  test('fits a 390 px phone: no sideways scrolling, no cell over another', async ({ page }) => {
    // A failure with a long reason: inviting someone who is a member already, and (written to the log
    // the way the invite flow writes it) an invitation whose email could not be sent.
    const access = new AccessPage(page);
    const results = await access.invite(E2E_ADMIN_EMAIL, 'Manage only');
    await expect(results).toContainText('Already a member');
    await access.closeDialog();
    const stores = openSqliteMemberStores(E2E_DATA_DIR);
    try {
      await stores.activity.record({
        actorEmail: E2E_ADMIN_EMAIL,
        action: 'invite',
        targetEmail: `averylongmailboxname.${Date.now().toString(36)}@example.com`,
        detail: 'Manage only',
        outcome: 'failure',
        message:
          'Added as Manage only, but the invitation email could not be sent (connect ECONNREFUSED 127.0.0.1:2525). Use Resend invite once mail works.',
      });
    } finally {
      stores.close();
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/settings/activity?member=${encodeURIComponent(E2E_ADMIN_EMAIL)}`);
    const table = page.getByRole('table');
    await expect(table.getByRole('row').filter({ hasText: 'Already a member' }).first()).toBeVisible();
    await expect(table.getByRole('row').filter({ hasText: 'ECONNREFUSED' })).toBeVisible();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);

    // Each cell's content box (a Range over it, so text that runs out of its cell counts where it is
    // drawn): no two may overlap, and none may reach past the screen.
    const rows = await table.getByRole('row').evaluateAll((all) =>
      all.slice(1, 11).map((row) =>
        [...row.querySelectorAll(':scope > td')]
          .filter((cell) => cell.getBoundingClientRect().height > 0)
          .map((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            const box = range.getBoundingClientRect();
            return {
              text: cell.textContent,
              left: box.left,
              right: box.right,
              top: box.top,
              bottom: box.bottom,
            };
          }),
      ),
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const cells of rows) {
      for (const [i, a] of cells.entries()) {
        expect(a.left).toBeGreaterThanOrEqual(0);
        expect(a.right).toBeLessThanOrEqual(390);
        for (const b of cells.slice(i + 1)) {
          const overlap =
            Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
          expect(overlap, `"${a.text}" overlaps "${b.text}"`).toBe(false);
        }
      }
    }
  });
});
