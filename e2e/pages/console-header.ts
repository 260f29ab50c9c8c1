import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The header every page shares: the "Account" menu with who is signed in, "Sign out" and "Sign out of
 * all sessions".
 */
export class ConsoleHeader {
  readonly banner: Locator;
  readonly accountMenu: Locator;
  readonly accountButton: Locator;
  readonly signOutButton: Locator;
  readonly signOutEverywhereButton: Locator;

  constructor(readonly page: Page) {
    this.banner = page.getByRole('banner');
    this.accountMenu = this.banner.locator('details', {
      has: page.locator('summary', { hasText: 'Account' }),
    });
    this.accountButton = this.accountMenu.locator('summary');
    this.signOutButton = this.accountMenu.getByRole('button', { name: 'Sign out', exact: true });
    this.signOutEverywhereButton = this.accountMenu.getByRole('button', { name: 'Sign out of all sessions' });
  }

  /** Opens the account menu (once: a second click would close it). */
  async openAccountMenu() {
    await expect(this.accountButton).toBeVisible();
    if ((await this.accountMenu.getAttribute('open')) === null) await this.accountButton.click();
    await expect(this.accountMenu).toHaveAttribute('open', '');
  }

  async expectSignedInAs(email: string, level: 'Full access' | 'Manage only') {
    await this.openAccountMenu();
    await expect(this.accountMenu).toContainText(email);
    await expect(this.accountMenu).toContainText(level);
    await expect(this.signOutButton).toBeVisible();
    await this.accountButton.click();
    await expect(this.accountMenu).not.toHaveAttribute('open');
  }

  async signOut() {
    await this.openAccountMenu();
    await this.signOutButton.click();
  }

  async signOutEverywhere() {
    await this.openAccountMenu();
    await this.signOutEverywhereButton.click();
  }
}
