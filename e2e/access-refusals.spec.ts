import type { BrowserContext, Page, Request } from '@playwright/test';
import { E2E_ADMIN_EMAIL } from './environment';
import { expect, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';
import { acceptedMember, uniqueEmail } from './sign-in-support';

type Captured = { headers: Record<string, string>; body: Buffer };

/**
 * The request the admin's browser makes for a server action, caught on its way out (and not sent),
 * so it can be replayed word for word with another member's cookie.
 */
async function captureAction(page: Page, trigger: () => Promise<void>): Promise<Captured> {
  let captured: Request | undefined;
  await page.route('**/settings/access**', async (route) => {
    const request = route.request();
    if (request.method() === 'POST' && request.headers()['next-action']) {
      captured = request;
      await route.abort();
    } else {
      await route.continue();
    }
  });
  try {
    await trigger();
    await expect.poll(() => captured !== undefined).toBe(true);
  } finally {
    await page.unroute('**/settings/access**');
  }
  const headers = await captured!.allHeaders();
  for (const name of ['cookie', 'host', 'content-length', 'connection']) delete headers[name];
  return { headers, body: captured!.postDataBuffer() ?? Buffer.alloc(0) };
}

async function replay(context: BrowserContext, action: Captured) {
  const response = await context.request.post('/settings/access', {
    headers: action.headers,
    data: action.body,
    maxRedirects: 0,
  });
  return { status: response.status(), body: await response.text() };
}

test('a Manage-only member posting each action directly is refused with 403, and nothing changes', async ({
  page,
  browser,
  admin,
  outbox,
}) => {
  const invitee = uniqueEmail('refused-invite');
  const pending = uniqueEmail('refused-pending');
  const noLevel = uniqueEmail('refused-nolevel');
  await admin.createMember(pending, 'manage', { sendInvitation: true });
  await outbox.waitFor(pending, { subject: /invited you|You are invited/ });
  await admin.createMember(noLevel, null);
  const reader = await acceptedMember(admin, 'reader', 'manage');

  await signInAs(page, admin, E2E_ADMIN_EMAIL);
  const access = new AccessPage(page);

  // What the admin's browser sends for each action, caught before it reaches the server.
  const invite = await captureAction(page, async () => {
    await access.addButton.click();
    await access.dialog.getByLabel('Email').fill(invitee);
    await access.chooseLevel('Full access');
    await access.dialog.getByRole('button', { name: 'Send invite' }).click();
  });
  await access.goto();
  await access.searchFor(pending);
  const resend = await captureAction(page, () =>
    access
      .row(pending)
      .getByRole('button', { name: /Resend invite/ })
      .click(),
  );
  const edit = await captureAction(page, async () => {
    await access.select(pending);
    await access.editButton.click();
    await access.chooseLevel('Full access');
    await access.dialog.getByRole('button', { name: 'Save' }).click();
  });
  await access.goto();
  await access.searchFor(pending);
  const remove = await captureAction(page, async () => {
    await access.select(pending);
    await access.deleteButton.click();
    await access.dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  });
  await access.goto();
  await access.searchFor(noLevel);
  const fix = await captureAction(page, () =>
    access
      .row(noLevel)
      .getByRole('button', { name: /Fix access level/ })
      .click(),
  );

  // The Manage-only member replays each one with their own session.
  const theirs = await browser.newContext();
  try {
    await signInAs(await theirs.newPage(), admin, reader);
    const mailBefore = outbox.all().length;
    for (const [name, action] of Object.entries({ invite, resend, edit, remove, fix })) {
      const answer = await replay(theirs, action);
      expect(answer.status, `${name} as Manage only`).toBe(403);
    }
    await expect(admin.status(invitee)).rejects.toThrow(/not exist/i);
    expect(await admin.groupsOf(pending)).toEqual(['Manage-only']);
    expect(await admin.status(pending)).toMatchObject({ status: 'FORCE_CHANGE_PASSWORD', enabled: true });
    expect(await admin.groupsOf(noLevel)).toEqual([]);
    expect(outbox.all()).toHaveLength(mailBefore);

    // The same requests from the admin's browser do work: what was refused was the member.
    const adminContext = page.context();
    expect((await replay(adminContext, edit)).status).toBe(200);
    expect(await admin.groupsOf(pending)).toEqual(['Full-access']);
    expect((await replay(adminContext, fix)).status).toBe(200);
    expect(await admin.groupsOf(noLevel)).toEqual(['Manage-only']);
    expect((await replay(adminContext, invite)).status).toBe(200);
    expect(await admin.groupsOf(invitee)).toEqual(['Full-access']);
    expect((await replay(adminContext, remove)).status).toBe(200);
    await expect(admin.status(pending)).rejects.toThrow(/not exist/i);
  } finally {
    await theirs.close();
  }
});

test('a Manage-only member gets 403 for the activity log', async ({ page, admin }) => {
  const reader = await acceptedMember(admin, 'reader-activity', 'manage');
  await signInAs(page, admin, reader);
  const response = await page.goto('/settings/activity');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
});
