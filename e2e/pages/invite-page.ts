import { expect, type Locator, type Page } from '@playwright/test';

/** /invite: the email and the temporary password from the invitation, and "Accept invitation". */
export class InvitePage {
  readonly email: Locator;
  readonly temporaryPassword: Locator;
  readonly acceptButton: Locator;
  /** The sentence saying there is no password to choose. */
  readonly linksFromNowOn: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByLabel('Email');
    this.temporaryPassword = page.getByLabel('Temporary password');
    this.acceptButton = page.getByRole('button', { name: 'Accept invitation' });
    this.linksFromNowOn = page.getByText('There is no password to choose', { exact: false });
  }

  async open(url: string) {
    await this.page.goto(url);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Accept your invitation' })).toBeVisible();
  }

  /** Fills in the invitation's email and temporary password and accepts. */
  async accept(email: string, temporaryPassword: string) {
    await this.email.fill(email);
    await this.temporaryPassword.fill(temporaryPassword);
    await this.acceptButton.click();
  }
}
