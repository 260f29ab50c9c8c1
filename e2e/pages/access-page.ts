import { expect, type Locator, type Page } from '@playwright/test';
import type { IdentityAdmin } from '../fixtures';
import { mintLink } from '../sign-in-support';
import { LinkPage } from './link-page';

export type LevelLabel = 'Full access' | 'Manage only';
export type StatusLabel = 'Pending' | 'Active' | 'Disabled' | 'Expired' | 'Invite email failed';

/** Signs `page` in as `email` with an operator link (an existing, enabled member). */
export async function signInAs(page: Page, admin: IdentityAdmin, email: string): Promise<void> {
  const linkPage = new LinkPage(page);
  await linkPage.open(await mintLink(admin, email));
  await linkPage.signIn();
  await expect(page).toHaveURL(/\/settings\/access$/);
}

/** /settings/access: the "Team members" table, its toolbar, filters, pages and dialogs. */
export class AccessPage {
  readonly heading: Locator;
  readonly table: Locator;
  readonly addButton: Locator;
  readonly editButton: Locator;
  readonly deleteButton: Locator;
  readonly disableButton: Locator;
  readonly enableButton: Locator;
  readonly total: Locator;
  readonly readOnlyNote: Locator;
  readonly search: Locator;
  readonly levelFilter: Locator;
  readonly statusFilter: Locator;
  readonly pageSize: Locator;
  readonly pages: Locator;
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Access control settings' });
    this.table = page.getByRole('table');
    this.addButton = page.getByRole('button', { name: 'Add team members' });
    this.editButton = page.getByRole('button', { name: 'Edit', exact: true });
    this.deleteButton = page.getByRole('button', { name: 'Delete', exact: true });
    this.disableButton = page.getByRole('button', { name: 'Disable', exact: true });
    this.enableButton = page.getByRole('button', { name: 'Enable', exact: true });
    this.total = page.getByTestId('members-total');
    this.readOnlyNote = page.getByText(/only Full-access members can invite, edit or delete/);
    this.search = page.getByRole('searchbox', { name: 'Search by email' });
    this.levelFilter = page.getByRole('combobox', { name: 'Filter by access level' });
    this.statusFilter = page.getByRole('combobox', { name: 'Filter by status' });
    this.pageSize = page.getByRole('combobox', { name: 'Page size' });
    this.pages = page.getByRole('navigation', { name: 'Team members pages' });
    this.dialog = page.getByRole('dialog');
  }

  async goto(query = '') {
    await this.page.goto(`/settings/access${query ? `?${query}` : ''}`);
    await expect(this.heading).toBeVisible();
  }

  /** Shows only members whose email starts with `prefix` (through the search box, as a person would). */
  async searchFor(prefix: string) {
    await this.search.fill(prefix);
    await this.search.press('Enter');
    await expect(this.page).toHaveURL(
      new RegExp(`[?&]q=${encodeURIComponent(prefix).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  }

  row(email: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByText(email, { exact: true }) });
  }

  checkbox(email: string): Locator {
    return this.page.getByRole('checkbox', { name: `Select ${email}`, exact: true });
  }

  async select(...emails: string[]) {
    for (const email of emails) {
      await this.checkbox(email).check();
      await expect(this.checkbox(email)).toBeChecked();
    }
  }

  /** Emails of the rows on this page, in table order. */
  async emails(): Promise<string[]> {
    return this.table
      .getByRole('rowheader')
      .evaluateAll((cells) => cells.map((cell) => cell.querySelector('span')?.textContent?.trim() ?? ''));
  }

  async expectRow(email: string, level: LevelLabel | 'No access level', status: StatusLabel) {
    const row = this.row(email);
    await expect(row).toHaveCount(1);
    // A Full-access view starts each row with its selection checkbox; the read-only view has none.
    const first = (await row.getByRole('checkbox').count()) > 0 ? 1 : 0;
    await expect(row.getByRole('cell').nth(first)).toContainText(level);
    await expect(row.getByRole('cell').nth(first + 1)).toContainText(status);
  }

  /** The page's answer to the last edit, delete, resend or fix. */
  get result(): Locator {
    return this.page.getByTestId('action-result');
  }

  async chooseLevel(level: LevelLabel) {
    await this.dialog.getByRole('radio', { name: level }).check();
  }

  /** "Add team members" → emails → level → "Send invite"; returns the dialog's result list. */
  async invite(emails: string, level: LevelLabel): Promise<Locator> {
    await this.addButton.click();
    await expect(this.dialog).toBeVisible();
    await expect(this.dialog.getByRole('heading', { name: 'Add team members' })).toBeVisible();
    await this.dialog.getByLabel('Email').fill(emails);
    await this.chooseLevel(level);
    await this.dialog.getByRole('button', { name: 'Send invite' }).click();
    const results = this.dialog.getByRole('list', { name: 'Invite results' });
    await expect(results).toBeVisible({ timeout: 30_000 });
    return results;
  }

  async closeDialog() {
    await this.dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(this.dialog).toBeHidden();
  }

  /** Selects the members, "Edit" → "Edit team member(s)" → level → "Save". */
  async editLevel(emails: string[], level: LevelLabel) {
    await (await this.prepareLevelEdit(emails, level)).click();
    await expect(this.dialog).toBeHidden();
  }

  /** Selects the members, "Edit" → "Edit team member(s)" → level; returns "Save", not yet pressed. */
  async prepareLevelEdit(emails: string[], level: LevelLabel): Promise<Locator> {
    await this.select(...emails);
    await this.editButton.click();
    await expect(this.dialog.getByRole('heading', { name: 'Edit team member(s)' })).toBeVisible();
    await this.chooseLevel(level);
    const save = this.dialog.getByRole('button', { name: 'Save' });
    await expect(save).toBeEnabled();
    return save;
  }

  /** Selects the members, "Delete" → "Delete users" → "Delete". */
  async deleteMembers(emails: string[]) {
    await this.select(...emails);
    await this.deleteButton.click();
    await expect(this.dialog.getByRole('heading', { name: 'Delete users' })).toBeVisible();
    const listed = this.dialog.getByRole('list', { name: 'Team members to delete' });
    for (const email of emails) await expect(listed).toContainText(email);
    await this.dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }

  /** Selects the members, "Disable" (or "Enable") → "Disable users" (or "Enable users") → confirm. */
  async setEnabled(emails: string[], mode: 'Disable' | 'Enable') {
    await this.select(...emails);
    await (mode === 'Disable' ? this.disableButton : this.enableButton).click();
    await expect(this.dialog.getByRole('heading', { name: `${mode} users` })).toBeVisible();
    const listed = this.dialog.getByRole('list', { name: `Team members to ${mode.toLowerCase()}` });
    for (const email of emails) await expect(listed).toContainText(email);
    await this.dialog.getByRole('button', { name: mode, exact: true }).click();
    await expect(this.dialog).toBeHidden();
  }

  async next() {
    await this.pages.getByRole('link', { name: 'Next' }).click();
  }

  async previous() {
    await this.pages.getByRole('link', { name: 'Previous' }).click();
  }
}
