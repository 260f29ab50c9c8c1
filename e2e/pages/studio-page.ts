import { expect, type Locator, type Page } from '@playwright/test';

/** /settings: the member's AWS access, and for Full access the resources, doctor's findings and Repair. */
export class StudioPage {
  readonly heading: Locator;
  readonly roleArn: Locator;
  readonly getCredentials: Locator;
  readonly credentials: Locator;
  readonly shellExports: Locator;
  readonly repairButton: Locator;
  readonly problems: Locator;
  readonly resources: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Studio settings' });
    this.roleArn = page.getByTestId('role-arn');
    this.getCredentials = page.getByRole('button', { name: 'Get AWS credentials' });
    this.credentials = page.getByTestId('aws-credentials');
    this.shellExports = page.getByRole('figure', { name: 'shell exports' });
    this.repairButton = page.getByRole('button', { name: 'Repair', exact: true });
    this.problems = page.getByRole('list', { name: 'Problems found' });
    this.resources = page.getByRole('list', { name: 'Studio resources' });
  }

  async open() {
    await this.page.goto('/settings');
    await expect(this.heading).toBeVisible();
  }

  resource(key: string): Locator {
    return this.page.getByTestId(`resource-${key}`);
  }

  /** Asks for credentials and returns them as the shell exports show them. */
  async requestCredentials(): Promise<{
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken: string;
  }> {
    await this.getCredentials.click();
    await expect(this.credentials).toBeVisible();
    const text = (await this.shellExports.locator('pre').textContent()) ?? '';
    const value = (name: string) => {
      const found = new RegExp(`^export ${name}=(\\S+)$`, 'm').exec(text)?.[1];
      if (!found) throw new Error(`no ${name} in the shell exports`);
      return found;
    };
    return {
      accessKeyId: value('AWS_ACCESS_KEY_ID'),
      secretAccessKey: value('AWS_SECRET_ACCESS_KEY'),
      sessionToken: value('AWS_SESSION_TOKEN'),
    };
  }

  async hideCredentials() {
    await this.page.getByRole('button', { name: 'Hide credentials' }).click();
    await expect(this.credentials).toBeHidden();
  }

  /** Repair → confirm in the dialog → the result. */
  async repair() {
    await this.repairButton.click();
    const dialog = this.page.getByRole('dialog', { name: 'Repair Studio' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Repair', exact: true }).click();
    await expect(dialog).toBeHidden();
  }
}
