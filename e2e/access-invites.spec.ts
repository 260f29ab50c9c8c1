import fs from 'node:fs';
import path from 'node:path';
import { ListUsersInGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Locator } from '@playwright/test';
import { E2E_ADMIN_EMAIL, E2E_DATA_DIR } from './environment';
import { expect, type IdentityAdmin, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';
import { uniqueEmail } from './sign-in-support';

test.describe('Access control settings: bulk invites, resend, fix, last-admin protection', () => {
  test.beforeEach(async ({ page, admin }) => {
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
  });

  test('a bulk invite reports each address: invited, already a member, invalid; duplicates count once', async ({
    page,
    admin,
    outbox,
  }) => {
    const stamp = Date.now().toString(36);
    const fresh = `bulk-${stamp}-new@example.com`;
    const pasted = `bulk-${stamp}-pasted@example.com`;
    const existing = `bulk-${stamp}-existing@example.com`;
    await admin.createMember(existing, 'manage');
    const access = new AccessPage(page);
    await access.addButton.click();

    // A spreadsheet paste (name and email cells), a duplicate in other case, two non-addresses.
    const raw = `${fresh}, ${fresh.toUpperCase()}\nAna Lopez\t${pasted}\nnot-an-email; bulk@\n${existing}`;
    await access.dialog.getByLabel('Email').fill(raw);
    await expect(access.dialog.getByText('5 addresses, 2 not valid (not-an-email, bulk@)')).toBeVisible();
    await access.chooseLevel('Full access');
    await access.dialog.getByRole('button', { name: 'Send invite' }).click();
    const results = access.dialog.getByRole('list', { name: 'Invite results' });
    await expect(results).toBeVisible();

    const item = (text: string) => results.getByRole('listitem').filter({ hasText: text });
    await expect(results.getByRole('listitem')).toHaveCount(5);
    await expect(item(fresh)).toContainText('Invited');
    await expect(item(pasted)).toContainText('Invited');
    await expect(item(existing)).toContainText('Already a member');
    await expect(item('not-an-email')).toContainText('Invalid address');
    await expect(item('bulk@')).toContainText('Invalid address');
    // Problems are listed first, and the summary says what happened to how many.
    await expect(results.getByRole('listitem').first()).toContainText('Invalid address');
    await expect(access.dialog.getByRole('alert')).toContainText(
      '2 invited, 1 already a member, 2 invalid addresses',
    );

    expect(await admin.groupsOf(fresh)).toEqual(['Full-access']);
    expect(await admin.groupsOf(existing)).toEqual(['Manage-only']);
    await outbox.waitFor(fresh, { subject: /invited you/ });
    expect(outbox.messagesTo(fresh)).toHaveLength(1);
    expect(outbox.messagesTo(existing)).toHaveLength(0);

    // "Invite more" starts an empty form; Escape closes the dialog.
    await access.dialog.getByRole('button', { name: 'Invite more' }).click();
    await expect(access.dialog.getByLabel('Email')).toHaveValue('');
    await page.keyboard.press('Escape');
    await expect(access.dialog).toBeHidden();
  });

  test('a bulk invite of 45 goes out in batches with progress and ends with one result each', async ({
    page,
  }) => {
    const stamp = Date.now().toString(36);
    const emails = Array.from(
      { length: 45 },
      (_, i) => `batch-${stamp}-${String(i).padStart(2, '0')}@example.com`,
    );
    const access = new AccessPage(page);
    // Each batch (a server action POST) is held until the test has seen the progress it shows.
    const held: Array<() => void> = [];
    let posts = 0;
    await page.route('**/settings/access*', async (route) => {
      const request = route.request();
      if (request.method() !== 'POST' || !request.headers()['next-action']) return route.fallback();
      posts++;
      if (posts <= 3) await new Promise<void>((release) => held.push(release));
      await route.continue();
    });

    await access.addButton.click();
    await access.dialog.getByLabel('Email').fill(emails.join('\n'));
    await access.chooseLevel('Manage only');
    await access.dialog.getByRole('button', { name: 'Send invite' }).click();
    const progress = access.dialog.getByRole('status');
    // 45 addresses, 20 per call: three batches, each announced before it goes.
    for (const [batch, text] of [
      'Inviting 20 of 45…',
      'Inviting 40 of 45…',
      'Inviting 45 of 45…',
    ].entries()) {
      await expect(progress).toHaveText(text);
      await expect.poll(() => held.length).toBe(batch + 1);
      held[batch]!();
    }

    const results = access.dialog.getByRole('list', { name: 'Invite results' });
    await expect(results.getByRole('listitem')).toHaveCount(45);
    await expect(access.dialog.getByRole('status')).toContainText('45 invited');
    expect(posts).toBe(3);
    await page.unroute('**/settings/access*');
    await access.closeDialog();
    await access.goto(`q=batch-${stamp}-&size=50`);
    expect((await access.emails()).sort()).toEqual(emails);
  });

  test('"Resend invite" sends a new temporary password to a Pending member', async ({
    page,
    admin,
    outbox,
  }) => {
    const email = uniqueEmail('resend');
    await admin.createMember(email, 'manage', { sendInvitation: true });
    const firstMail = await outbox.waitFor(email, { subject: /invited you|You are invited/ });
    const access = new AccessPage(page);
    await access.searchFor(email);
    await access.expectRow(email, 'Manage only', 'Pending');

    const before = new Date();
    await access
      .row(email)
      .getByRole('button', { name: `Resend invite to ${email}` })
      .click();
    await expect(access.result).toHaveAttribute('role', 'status');
    await expect(access.result).toContainText(/resent|sent/i);
    const again = await outbox.waitFor(email, { subject: /invited you|You are invited/, since: before });
    expect(again.id).not.toBe(firstMail.id);
    const password = (text: string) => /Temporary password: (\S+)/.exec(text)?.[1];
    expect(password(again.text)).toBeTruthy();
    expect(password(again.text)).not.toBe(password(firstMail.text));
    await access.expectRow(email, 'Manage only', 'Pending');

    // Active members have nothing to resend.
    await access.searchFor(E2E_ADMIN_EMAIL);
    await expect(access.row(E2E_ADMIN_EMAIL).getByRole('button', { name: /Resend invite/ })).toHaveCount(0);
  });

  test('a member in no access group shows "No access level"; "Fix" gives them Manage only', async ({
    page,
    admin,
  }) => {
    const email = uniqueEmail('no-level');
    await admin.createMember(email, null);
    const access = new AccessPage(page);
    await access.searchFor(email);
    await access.expectRow(email, 'No access level', 'Pending');
    await access
      .row(email)
      .getByRole('button', { name: `Fix access level of ${email}` })
      .click();
    await expect(access.result).toHaveAttribute('role', 'status');
    await access.expectRow(email, 'Manage only', 'Pending');
    expect(await admin.groupsOf(email)).toEqual(['Manage-only']);
  });

  test('the last Full-access member can be neither demoted, disabled nor deleted, and the page says why', async ({
    page,
    admin,
  }) => {
    // Make the bootstrap admin the only Full-access member for the length of this test.
    const others = (await fullAccessMembers(admin)).filter((email) => email !== E2E_ADMIN_EMAIL);
    for (const email of others) await admin.setLevel(email, 'manage');
    try {
      const access = new AccessPage(page);
      await access.goto();
      await access.searchFor(E2E_ADMIN_EMAIL);
      await access.editLevel([E2E_ADMIN_EMAIL], 'Manage only');
      await expect(access.result).toHaveAttribute('role', 'alert');
      await expect(access.result).toContainText("You can't demote the last Full access member");
      expect(await admin.groupsOf(E2E_ADMIN_EMAIL)).toEqual(['Full-access']);

      await access.deleteMembers([E2E_ADMIN_EMAIL]);
      await expect(access.result).toHaveAttribute('role', 'alert');
      await expect(access.result).toContainText("You can't remove the last Full access member");
      expect(await admin.groupsOf(E2E_ADMIN_EMAIL)).toEqual(['Full-access']);

      await access.setEnabled([E2E_ADMIN_EMAIL], 'Disable');
      await expect(access.result).toHaveAttribute('role', 'alert');
      await expect(access.result).toContainText("You can't disable the last Full access member");
      expect(await admin.status(E2E_ADMIN_EMAIL)).toMatchObject({ enabled: true });
      await access.expectRow(E2E_ADMIN_EMAIL, 'Full access', 'Active');
    } finally {
      for (const email of others) await admin.setLevel(email, 'full');
    }
  });
});

async function fullAccessMembers(admin: IdentityAdmin): Promise<string[]> {
  const emails: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await admin.client.send(
      new ListUsersInGroupCommand({ UserPoolId: await admin.poolId(), GroupName: 'Full-access', NextToken }),
    );
    for (const user of page.Users ?? []) {
      const email = user.Attributes?.find((a) => a.Name === 'email')?.Value;
      if (email) emails.push(email);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return emails;
}

test.describe('Access control settings: mail down during an invite', () => {
  test('the member exists as "Invite email failed"; "Resend invite" works once mail is back', async ({
    page,
    admin,
    outbox,
  }) => {
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
    const email = uniqueEmail('mail-down');
    const access = new AccessPage(page);

    // The outbox is this console's mail server: put a file where its directory must be, and every
    // send fails as a mail server that is down would.
    const mailDown = breakOutbox();
    let results: Locator;
    try {
      results = await access.invite(email, 'Manage only');
    } finally {
      mailDown.restore();
    }
    const result = results.getByRole('listitem').filter({ hasText: email });
    await expect(result).toContainText('Failed');
    await expect(result).toContainText('the invitation email could not be sent');
    await expect(result).toContainText('Use Resend invite once mail works');
    await access.closeDialog();
    await access.searchFor(email);
    await access.expectRow(email, 'Manage only', 'Invite email failed');
    expect(outbox.messagesTo(email)).toHaveLength(0);

    await access.statusFilter.selectOption('invite-failed');
    await expect(access.row(email)).toHaveCount(1);

    await access
      .row(email)
      .getByRole('button', { name: `Resend invite to ${email}` })
      .click();
    await expect(access.result).toHaveAttribute('role', 'status');
    const invitation = await outbox.waitFor(email, { subject: /invited you/ });
    expect(invitation.text).toMatch(/Temporary password: \S+/);
    await access.goto(`q=${encodeURIComponent(email)}`);
    await access.expectRow(email, 'Manage only', 'Pending');
  });
});

/** Makes the outbox unwritable (a file where its directory goes) until `restore()`. */
function breakOutbox(): { restore(): void } {
  const dir = path.join(E2E_DATA_DIR, 'outbox');
  const aside = `${dir}.aside-${process.pid}`;
  const hadDir = fs.existsSync(dir);
  if (hadDir) fs.renameSync(dir, aside);
  fs.writeFileSync(dir, 'mail is down\n');
  return {
    restore() {
      fs.rmSync(dir, { force: true });
      if (hadDir) fs.renameSync(aside, dir);
    },
  };
}
