// The AWS-mode topology on this machine (`npm run aws:local`): two stateless console instances, A and
// B, on one DynamoDB table (dynalite), one SES (aws-ses-v2-local) and one pool. What a load balancer
// would do by sending requests to any instance, the journey does by using A and B in turn. Cookies
// are per host, not per port, so a browser context signed in on A carries the same session to B.
import { expect, test } from '@playwright/test';
import { AccessPage } from '../e2e/pages/access-page';
import { ConsoleHeader } from '../e2e/pages/console-header';
import { InvitePage } from '../e2e/pages/invite-page';
import { LinkPage } from '../e2e/pages/link-page';
import { LoginPage } from '../e2e/pages/login-page';
import { newPage, on, operatorLink, sesMail, sesMailCount, waitForInstanceB } from './aws-local-support';
import { ADMIN_EMAIL, CONSOLE_A, CONSOLE_B } from './environment';

test.beforeAll(waitForInstanceB);

test('two instances on one table, one SES and one pool: invite, accept, promote, links, sign-out', async ({
  browser,
}) => {
  const invitee = `member-${Date.now().toString(36)}@example.com`;

  // The admin signs in on A with the operator's link and invites a member as Manage only.
  const adminPage = await newPage(browser);
  const adminLink = new LinkPage(adminPage);
  await adminLink.open(await operatorLink(ADMIN_EMAIL));
  await adminLink.signIn();
  await expect(adminPage).toHaveURL(`${CONSOLE_A}/settings/access`);
  const accessA = new AccessPage(adminPage);
  const results = await accessA.invite(invitee, 'Manage only');
  await expect(results).toContainText(invitee);
  await accessA.closeDialog();

  // The invitation arrives in SES, through the custom-message trigger.
  const invitation = await sesMail(invitee, /invited you|You are invited/);
  const text = invitation.body.text ?? '';
  const temporaryPassword = /Temporary password: (\S+)/.exec(text)?.[1];
  const inviteUrl = /https?:\/\/\S+\/invite\?email=\S+/.exec(text)?.[0];
  expect(temporaryPassword).toBeTruthy();
  expect(inviteUrl?.startsWith(`${CONSOLE_A}/invite`)).toBe(true);

  // The invitee accepts on B.
  const memberPage = await newPage(browser);
  const invite = new InvitePage(memberPage);
  await invite.open(on(CONSOLE_B, inviteUrl!));
  await invite.accept(invitee, temporaryPassword!);
  await expect(memberPage).toHaveURL(new RegExp(`^${CONSOLE_B}/`));
  await new ConsoleHeader(memberPage).expectSignedInAs(invitee, 'Manage only');

  // A promotion made on A shows on B's next page view.
  await accessA.goto();
  await accessA.editLevel([invitee], 'Full access');
  await accessA.expectRow(invitee, 'Full access', 'Active');
  // Each instance keeps a member's access for at most 5 s (server/auth/member-cache); the instance that
  // made the change drops its copy at once, the other's expires: B's page views show it within that bound.
  const memberHeader = new ConsoleHeader(memberPage);
  await expect
    .poll(
      async () => {
        await memberPage.reload();
        await memberHeader.openAccountMenu();
        return memberHeader.accountMenu.textContent();
      },
      { timeout: 10_000, intervals: [500] },
    )
    .toContain('Full access');

  // A link requested on B and used on A cannot be used again on B.
  const linkPage = await newPage(browser);
  const login = new LoginPage(linkPage);
  await linkPage.goto(`${CONSOLE_B}/login`);
  await login.requestLink(invitee);
  const linkMail = await sesMail(invitee, /sign-in link/i);
  const signInUrl = /https?:\/\/\S+\/auth\/link#\S+/.exec(linkMail.body.text ?? '')?.[0];
  expect(signInUrl).toBeTruthy();
  const usedOnA = new LinkPage(linkPage);
  await usedOnA.open(on(CONSOLE_A, signInUrl!));
  await usedOnA.signIn();
  await expect(linkPage).toHaveURL(new RegExp(`^${CONSOLE_A}/`));
  const againOnB = new LinkPage(await newPage(browser));
  await againOnB.open(on(CONSOLE_B, signInUrl!));
  await againOnB.expectProblem('This sign-in link was already used');
  expect(await sesMailCount(invitee, /sign-in link/i)).toBe(1);

  // The admin's session is the same on B (one table, one SESSION_SECRET); signing out on A ends it there.
  await adminPage.goto(`${CONSOLE_B}/settings/access`);
  await expect(new AccessPage(adminPage).heading).toBeVisible();
  await adminPage.goto(`${CONSOLE_A}/settings/access`);
  const sessionCookies = await adminPage.context().cookies(CONSOLE_B);
  expect(sessionCookies.length).toBeGreaterThan(0);
  await new ConsoleHeader(adminPage).signOut();
  await expect(adminPage).toHaveURL(/\/login/);
  // The old cookie value, replayed to B in a fresh browser: B refuses it.
  const replay = await browser.newContext();
  await replay.addCookies(sessionCookies.map((c) => ({ ...c })));
  const replayPage = await replay.newPage();
  // B read the record through its own cache of at most 5 s (server/auth/sessions), so within that bound.
  await expect
    .poll(
      async () => {
        await replayPage.goto(`${CONSOLE_B}/settings/access`);
        return new URL(replayPage.url()).pathname;
      },
      { timeout: 10_000, intervals: [500] },
    )
    .toBe('/login');

  // No local-only page answers in AWS mode, on either instance.
  for (const origin of [CONSOLE_A, CONSOLE_B]) {
    expect((await fetch(`${origin}/dev/outbox`)).status).toBe(404);
  }
});
