// Sessions end on the server: sign-out and "Sign out of all sessions" stop every copy of a session
// cookie, in any browser, on its next request.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, type IdentityAdmin, test } from './fixtures';
import { signInAs } from './pages/access-page';
import { ConsoleHeader } from './pages/console-header';
import { acceptedMember } from './sign-in-support';

const SESSION_COOKIE = 'studio-session';
const SIGNED_OUT = 'This session was signed out. Sign in again to continue.';

/** A browser of its own (another device), signed in as `email`. */
async function signedInBrowser(browser: Browser, admin: IdentityAdmin, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, admin, email);
  return { context, page };
}

async function sessionCookie(context: BrowserContext) {
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

async function expectSignedOut(page: Page) {
  await page.goto('/settings/access');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByText(SIGNED_OUT)).toBeVisible();
}

test.describe('sessions that end on the server', () => {
  test('a copy of the session cookie, replayed after sign-out, lands on /login', async ({
    page,
    context,
    browser,
    admin,
  }) => {
    const email = await acceptedMember(admin, 'replayed', 'full');
    await signInAs(page, admin, email);
    const copy = await sessionCookie(context);

    await new ConsoleHeader(page).signOut();
    await expect(page).toHaveURL(/\/login$/);

    const elsewhere = await browser.newContext();
    try {
      await elsewhere.addCookies([copy]);
      const replay = await elsewhere.newPage();
      await expectSignedOut(replay);
      // Nor does the copy open the pages a member would see.
      await replay.goto('/settings/activity');
      await expect(replay).toHaveURL(/\/login$/);
    } finally {
      await elsewhere.close();
    }
  });

  test('"Sign out of all sessions" ends the member\'s session in every browser, and no one else\'s', async ({
    page,
    context,
    browser,
    admin,
  }) => {
    const email = await acceptedMember(admin, 'everywhere', 'full');
    const bystander = await acceptedMember(admin, 'bystander', 'full');
    await signInAs(page, admin, email);
    const second = await signedInBrowser(browser, admin, email);
    const other = await signedInBrowser(browser, admin, bystander);
    try {
      const secondHeader = new ConsoleHeader(second.page);
      await secondHeader.expectSignedInAs(email, 'Full access');
      // The account menu opens from the header and closes on Escape, focus back on its opener.
      await secondHeader.openAccountMenu();
      await expect(secondHeader.signOutEverywhereButton).toBeVisible();
      await second.page.keyboard.press('Escape');
      await expect(secondHeader.signOutEverywhereButton).toBeHidden();
      await expect(secondHeader.accountButton).toBeFocused();

      await new ConsoleHeader(page).signOutEverywhere();
      await expect(page).toHaveURL(/\/login$/);
      expect((await context.cookies()).find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
      await expectSignedOut(second.page);

      // Someone else's session goes on, and the log says who ended their sessions.
      await other.page.goto(`/settings/activity?member=${encodeURIComponent(email)}`);
      await expect(other.page).toHaveURL(/\/settings\/activity/);
      const newest = other.page.getByRole('table').getByRole('row').nth(1);
      await expect(newest).toContainText('Signed out of all sessions');
      await expect(newest).toContainText(email);
      await expect(newest).toContainText('2 sessions ended');

      // Signing in again works as before.
      await signInAs(page, admin, email);
      await new ConsoleHeader(page).expectSignedInAs(email, 'Full access');
    } finally {
      await second.context.close();
      await other.context.close();
    }
  });
});
