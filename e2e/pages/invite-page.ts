import { expect, type Locator, type Page } from '@playwright/test';

/** /invite: email + temporary password, then a new password or "Use email sign-in links only". */
export class InvitePage {
  readonly email: Locator;
  readonly temporaryPassword: Locator;
  readonly continueButton: Locator;
  readonly newPassword: Locator;
  readonly linksOnly: Locator;
  readonly setPassword: Locator;
  readonly acceptButton: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByLabel('Email');
    this.temporaryPassword = page.getByLabel('Temporary password');
    this.continueButton = page.getByRole('button', { name: 'Continue' });
    this.newPassword = page.getByLabel('New password', { exact: true });
    this.linksOnly = page.getByRole('radio', { name: 'Use email sign-in links only' });
    this.setPassword = page.getByRole('radio', { name: 'Set a new password' });
    this.acceptButton = page.getByRole('button', { name: 'Accept invitation' });
  }

  async open(url: string) {
    await this.page.goto(url);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Accept your invitation' })).toBeVisible();
  }

  /** Amplify UI draws its own radio over the input: choose by the visible label. */
  async chooseLinksOnly() {
    await this.page.getByText('Use email sign-in links only', { exact: true }).click();
    await expect(this.linksOnly).toBeChecked();
  }

  async chooseNewPassword() {
    await this.page.getByText('Set a new password', { exact: true }).click();
    await expect(this.setPassword).toBeChecked();
  }

  async enterTemporaryPassword(email: string, temporaryPassword: string) {
    await this.email.fill(email);
    await this.temporaryPassword.fill(temporaryPassword);
    await this.continueButton.click();
  }
}
