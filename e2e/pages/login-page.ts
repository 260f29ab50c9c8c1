import { expect, type Locator, type Page } from '@playwright/test';

/** /login: one email field, one button, and "Check your inbox". */
export class LoginPage {
  readonly email: Locator;
  readonly submit: Locator;
  readonly checkInbox: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.email = page.getByLabel('Email');
    this.submit = page.getByRole('button', { name: 'Email me a sign-in link' });
    this.checkInbox = page.getByRole('heading', { level: 1, name: 'Check your inbox' });
    this.status = page.getByRole('status');
  }

  async goto(email?: string) {
    await this.page.goto(email ? `/login?email=${encodeURIComponent(email)}` : '/login');
    await expect(
      this.page.getByRole('heading', { level: 1, name: 'Sign in to Studio Access' }),
    ).toBeVisible();
  }

  /** Asks for a link and returns the text the page answers with. */
  async requestLink(email: string): Promise<string> {
    await this.email.fill(email);
    await this.submit.click();
    await expect(this.checkInbox).toBeVisible();
    return ((await this.page.getByRole('main').textContent()) ?? '').replace(email, '<email>');
  }
}
