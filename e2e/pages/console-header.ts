import { expect, type Locator, type Page } from '@playwright/test';

/** The header every page shares: who is signed in, "Sign out of all sessions" and "Sign out". */
export class ConsoleHeader {
  readonly banner: Locator;
  readonly signOutButton: Locator;
  /** Opens the account menu, which holds "Sign out of all sessions". */
  readonly accountMenu: Locator;
  readonly signOutEverywhereButton: Locator;

  constructor(readonly page: Page) {
    this.banner = page.getByRole('banner');
    this.signOutButton = this.banner.getByRole('button', { name: 'Sign out', exact: true });
    this.accountMenu = this.banner.locator('details > summary');
    this.signOutEverywhereButton = this.banner.getByRole('button', { name: 'Sign out of all sessions' });
  }

  async expectSignedInAs(email: string, level: 'Full access' | 'Manage only') {
    await expect(this.banner).toContainText(email);
    await expect(this.banner).toContainText(level);
    await expect(this.signOutButton).toBeVisible();
  }

  async signOut() {
    await this.signOutButton.click();
  }

  async signOutEverywhere() {
    await this.accountMenu.click();
    await this.signOutEverywhereButton.click();
  }
}
