import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { E2E_ADMIN_EMAIL } from './environment';
import { expect, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';
import { acceptedMember } from './sign-in-support';

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

test.describe('Access control settings: accessibility and layout', () => {
  test('no serious or critical axe-core violations on /settings/access, its dialogs, and /settings/activity', async ({
    page,
    admin,
  }) => {
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
    const access = new AccessPage(page);
    await expect(access.table).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);

    await access.addButton.click();
    await expect(access.dialog).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    // Other specs add members; rows come in Cognito's order, so find the row rather than hope for page 1.
    await access.searchFor(E2E_ADMIN_EMAIL);
    await access.select(E2E_ADMIN_EMAIL);
    await access.editButton.click();
    await expect(access.dialog).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');

    await page.goto('/settings/activity');
    await expect(page.getByRole('table')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('the read-only view has no serious or critical axe-core violations', async ({ page, admin }) => {
    await signInAs(page, admin, await acceptedMember(admin, 'axe-reader', 'manage'));
    await expect(new AccessPage(page).readOnlyNote).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('dialogs are keyboard-operable: focus moves in, Escape closes, focus returns', async ({
    page,
    admin,
  }) => {
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
    const access = new AccessPage(page);
    await access.addButton.focus();
    await page.keyboard.press('Enter');
    await expect(access.dialog).toBeVisible();
    await expect(access.dialog).toHaveAccessibleName('Add team members');
    await expect(access.dialog.getByLabel('Email')).toBeFocused();
    // The page behind is inert: Tab stays in the dialog.
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await access.dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(access.dialog).toBeHidden();
    await expect(access.addButton).toBeFocused();

    // The level is chosen with arrow keys, the form sent with Enter.
    await page.keyboard.press('Enter');
    await page.keyboard.type('not an address');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect(access.dialog.getByRole('radio', { name: 'Full access' })).toBeChecked();
    await page.keyboard.press('ArrowDown');
    await expect(access.dialog.getByRole('radio', { name: 'Manage only' })).toBeChecked();
    await expect(access.dialog.getByRole('radio', { name: 'Manage only' })).toHaveAccessibleDescription(
      'Edit app content and manage users.',
    );
    await page.keyboard.press('Escape');
    await expect(access.addButton).toBeFocused();
  });

  test('at 390 px wide the page has no horizontal scroll; rows become cards', async ({ page, admin }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
    const access = new AccessPage(page);
    await expect(access.table).toBeVisible();
    expect(await horizontalOverflow(page)).toBe(0);

    // A card: the email on its own line across the card, the level and status badges side by side
    // under it, the card inside the screen. (A table row would put all of them on one line.)
    await access.searchFor(E2E_ADMIN_EMAIL);
    const row = access.row(E2E_ADMIN_EMAIL);
    const card = (await row.boundingBox())!;
    const email = (await row.getByRole('rowheader').boundingBox())!;
    const level = (await row.getByRole('cell').filter({ hasText: 'Full access' }).boundingBox())!;
    const status = (await row.getByRole('cell').filter({ hasText: 'Active' }).boundingBox())!;
    expect(card.x).toBeGreaterThanOrEqual(0);
    expect(card.x + card.width).toBeLessThanOrEqual(390);
    expect(email.y + email.height).toBeLessThanOrEqual(level.y + 1);
    expect(email.width).toBeGreaterThan(card.width / 2);
    expect(Math.abs(level.y - status.y)).toBeLessThan(4);
    expect(level.x + level.width).toBeLessThanOrEqual(status.x + 1);
    expect(await horizontalOverflow(page)).toBe(0);
    await expect(access.addButton).toBeInViewport();
    await access.addButton.click();
    await expect(access.dialog).toBeVisible();
    const box = await access.dialog.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await page.keyboard.press('Escape');
    await page.goto('/settings/activity');
    await expect(page.getByRole('table')).toBeVisible();
    expect(await horizontalOverflow(page)).toBe(0);
  });
});
