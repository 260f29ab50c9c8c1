import { expect, type Locator, type Page } from '@playwright/test';

/** The header every page shares: who is signed in, and "Sign out". */
export class ConsoleHeader {
  readonly banner: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.banner = page.getByRole('banner');
    this.signOutButton = this.banner.getByRole('button', { name: 'Sign out' });
  }

  async expectSignedInAs(email: string, level: 'Full access' | 'Manage only') {
    await expect(this.banner).toContainText(email);
    await expect(this.banner).toContainText(level);
    await expect(this.signOutButton).toBeVisible();
  }

  async signOut() {
    await this.signOutButton.click();
  }
}
