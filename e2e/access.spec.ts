import { E2E_ADMIN_EMAIL } from './environment';
import { expect, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';
import { ConsoleHeader } from './pages/console-header';
import { InvitePage } from './pages/invite-page';

test.describe('Access control settings: a member from invitation to deletion', () => {
  test('invite two as Manage only, one accepts and reads, is promoted, then deleted and sent to /login', async ({
    page,
    browser,
    admin,
    outbox,
  }) => {
    const stamp = Date.now().toString(36);
    const first = `duo-${stamp}-a@example.com`;
    const second = `duo-${stamp}-b@example.com`;
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
    const access = new AccessPage(page);

    // Two at once, separated the way people paste them.
    const results = await access.invite(`${first},\n ${second.toUpperCase()}`, 'Manage only');
    await expect(results.getByRole('listitem')).toHaveCount(2);
    for (const email of [first, second]) {
      await expect(results.getByRole('listitem').filter({ hasText: email })).toContainText('Invited');
    }
    await expect(access.dialog.getByRole('alert').or(access.dialog.getByRole('status'))).toContainText(
      '2 invited',
    );
    await access.closeDialog();

    await access.searchFor(`duo-${stamp}-`);
    expect(await access.emails()).toEqual([first, second]);
    await access.expectRow(first, 'Manage only', 'Pending');
    await access.expectRow(second, 'Manage only', 'Pending');
    expect(await admin.groupsOf(first)).toEqual(['Manage-only']);
    expect(await admin.groupsOf(second)).toEqual(['Manage-only']);

    // Each invitation carries a temporary password and the link to accept, naming inviter and level.
    const invitations = [];
    for (const email of [first, second]) {
      const message = await outbox.waitFor(email, { subject: /invited you/ });
      expect(message.kind).toBe('invitation');
      expect(message.subject).toContain(E2E_ADMIN_EMAIL);
      expect(message.text).toContain('Manage only');
      const temporaryPassword = /Temporary password: (\S+)/.exec(message.text)?.[1];
      const link = /https?:\/\/\S+\/invite\?email=\S+/.exec(message.text)?.[0];
      expect(temporaryPassword).toBeTruthy();
      expect(link).toContain(encodeURIComponent(email));
      invitations.push({ email, temporaryPassword: temporaryPassword!, link: link! });
    }
    const [invitation] = invitations;

    // The invitee, in a browser of their own, accepts and lands on the table, read-only.
    const theirs = await browser.newContext();
    const memberPage = await theirs.newPage();
    try {
      const invite = new InvitePage(memberPage);
      await invite.open(invitation!.link);
      await invite.accept(first, invitation!.temporaryPassword);
      await expect(memberPage).toHaveURL(/\/settings\/access$/);
      await new ConsoleHeader(memberPage).expectSignedInAs(first, 'Manage only');
      const memberView = new AccessPage(memberPage);
      await expect(memberView.table).toBeVisible();
      await expect(memberView.readOnlyNote).toBeVisible();
      await expect(memberView.addButton).toHaveCount(0);
      await expect(memberView.editButton).toHaveCount(0);
      await expect(memberView.deleteButton).toHaveCount(0);
      await expect(memberPage.getByRole('checkbox')).toHaveCount(0);
      await expect(memberPage.getByRole('button', { name: /Resend invite/ })).toHaveCount(0);
      const memberNavigation = memberPage.getByRole('navigation', { name: 'Console' });
      await expect(memberNavigation.getByRole('link', { name: 'Activity' })).toHaveCount(0);

      // The admin sees them Active now, and makes them Full access.
      await page.reload();
      await access.expectRow(first, 'Manage only', 'Active');
      await access.editLevel([first], 'Full access');
      await expect(access.result).toHaveAttribute('role', 'status');
      await access.expectRow(first, 'Full access', 'Active');
      expect(await admin.groupsOf(first)).toEqual(['Full-access']);

      // Their next page view shows the admin controls.
      await memberPage.reload();
      await new ConsoleHeader(memberPage).expectSignedInAs(first, 'Full access');
      await expect(memberView.addButton).toBeVisible();
      await expect(memberView.readOnlyNote).toHaveCount(0);
      await expect(memberPage.getByRole('checkbox', { name: 'Select all on this page' })).toBeVisible();
      await expect(memberNavigation.getByRole('link', { name: 'Activity' })).toBeVisible();

      // The admin deletes both; the accepted one's next request lands on /login.
      await access.deleteMembers([first, second]);
      await expect(access.result).toContainText(/deleted/i);
      await expect(access.row(first)).toHaveCount(0);
      await expect(access.row(second)).toHaveCount(0);

      await memberPage.goto('/settings/access');
      await expect(memberPage).toHaveURL(/\/login$/);
    } finally {
      await theirs.close();
    }
  });
});
