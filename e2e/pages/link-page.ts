import { expect, type Locator, type Page } from '@playwright/test';

export type LinkProblemTitle =
  | 'This sign-in link is not valid'
  | 'This sign-in link was already used'
  | 'This sign-in link has expired'
  | 'A newer sign-in link was sent'
  | 'This account cannot sign in';

/** /auth/link#<secret>: "Sign in as <email>", a button, or a page saying why the link does not work. */
export class LinkPage {
  readonly signInButton: Locator;

  constructor(readonly page: Page) {
    this.signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
  }

  async open(url: string) {
    await this.page.goto(url);
  }

  async expectSignInAs(email: string) {
    await expect(this.page.getByRole('heading', { level: 1, name: `Sign in as ${email}` })).toBeVisible();
  }

  async signIn() {
    await this.signInButton.click();
  }

  async expectProblem(title: LinkProblemTitle) {
    await expect(this.page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  }

  get sendNewLink(): Locator {
    return this.page.getByRole('link', { name: 'Send a new link' });
  }
}
