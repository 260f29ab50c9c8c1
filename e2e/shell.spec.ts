import { E2E_ADMIN_EMAIL } from './environment';
import { expect, test } from './fixtures';
import { ConsoleHeader } from './pages/console-header';
import { LinkPage } from './pages/link-page';
import { mintLink } from './sign-in-support';

test.describe('the console shell', () => {
  // Console pages are for members: sign in as the bootstrap admin with an operator link first.
  test.beforeEach(async ({ page, admin }) => {
    const linkPage = new LinkPage(page);
    await linkPage.open(await mintLink(admin, E2E_ADMIN_EMAIL));
    await linkPage.signIn();
    await expect(page).toHaveURL(/\/settings\/access$/);
  });

  test('opens on Access control settings with the header and navigation', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/settings\/access$/);

    await expect(page.getByRole('banner').getByRole('link', { name: 'Studio Access' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: 'Access control settings' })).toBeVisible();
    await expect(page).toHaveTitle('Access control settings · Studio Access');

    const navigation = page.getByRole('navigation', { name: 'Console' });
    await expect(navigation.getByRole('heading', { name: 'Settings' })).toBeVisible();
    const accessLink = navigation.getByRole('link', { name: 'Access control' });
    await expect(accessLink).toHaveAttribute('aria-current', 'page');

    // The page lists the real team (e2e/access*.spec.ts cover the table itself).
    await expect(page.getByRole('table')).toBeVisible();

    await navigation.getByRole('link', { name: 'Activity' }).click();
    await expect(page).toHaveURL(/\/settings\/activity$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
    await expect(navigation.getByRole('link', { name: 'Activity' })).toHaveAttribute('aria-current', 'page');
    await expect(accessLink).not.toHaveAttribute('aria-current', 'page');

    // "Settings" is Studio settings: the resources, their health and the member's AWS access.
    await page
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Studio settings' })).toBeVisible();
    await expect(navigation.getByRole('link', { name: 'Studio' })).toHaveAttribute('aria-current', 'page');
    await expect(accessLink).not.toHaveAttribute('aria-current', 'page');
  });

  test('the Account menu says who is signed in, and closes on Escape or a click outside', async ({
    page,
  }) => {
    const header = new ConsoleHeader(page);
    // Nothing about the member in the bar itself, on any width.
    await expect(header.banner.getByText(E2E_ADMIN_EMAIL)).toBeHidden();
    await header.expectSignedInAs(E2E_ADMIN_EMAIL, 'Full access');

    await header.openAccountMenu();
    await page.keyboard.press('Escape');
    await expect(header.accountMenu).not.toHaveAttribute('open');
    await expect(header.accountButton).toBeFocused();

    await header.openAccountMenu();
    await page.getByRole('heading', { level: 1 }).click();
    await expect(header.accountMenu).not.toHaveAttribute('open');

    await page.setViewportSize({ width: 390, height: 844 });
    await header.expectSignedInAs(E2E_ADMIN_EMAIL, 'Full access');
  });

  test('answers an unknown address with a not-found page', async ({ page }) => {
    const response = await page.goto('/no-such-page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to Access control settings' }).click();
    await expect(page).toHaveURL(/\/settings\/access$/);
  });

  // The 503 before the pool exists and while the service is down: server/cognito/client.test.ts.
  test('reports health 200 {"status":"ok"}, never cached, for the provisioned pool', async ({
    request,
    admin,
  }) => {
    const response = await request.get('/api/health');
    expect(response.status()).toBe(200);
    expect(response.headers()['cache-control']).toContain('no-store');
    expect(await response.json()).toEqual({ status: 'ok' });
    // The pool health describes is the one provisioned, with the bootstrap admin in Full-access.
    expect(await admin.groupsOf(E2E_ADMIN_EMAIL)).toEqual(['Full-access']);
  });

  test('pages name an icon that exists, so the browser asks for no missing favicon', async ({
    page,
    request,
  }) => {
    const missing: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    for (const path of ['/settings/access', '/login']) {
      await page.goto(path);
      const href = await page.locator('head link[rel="icon"]').first().getAttribute('href');
      expect(href).toBeTruthy();
      const icon = await request.get(new URL(href!, page.url()).toString());
      expect(icon.status()).toBe(200);
      expect(icon.headers()['content-type']).toContain('image/svg+xml');
    }
    expect(missing).toEqual([]);
  });

  test('sends the bootstrap admin no invitation email', async ({ outbox }) => {
    expect(outbox.messagesTo(E2E_ADMIN_EMAIL).filter((m) => m.kind === 'invitation')).toEqual([]);
  });

  test('fits a 390 px wide phone without horizontal scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/settings/access', '/settings/activity']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const navigation = page.getByRole('navigation', { name: 'Console' });
      await expect(navigation.getByRole('link', { name: 'Access control' })).toBeInViewport();
      await expect(navigation.getByRole('link', { name: 'Activity' })).toBeInViewport();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBe(0);
    }
  });
});
