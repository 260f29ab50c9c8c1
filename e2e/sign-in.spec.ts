import { callsSince, consoleCognitoCalls, linkRequestsDone } from './cognito-calls';
import { E2E_ADMIN_EMAIL, E2E_BASE_URL, E2E_PORT } from './environment';
import { expect, test } from './fixtures';
import { signInAs } from './pages/access-page';
import { ConsoleHeader } from './pages/console-header';
import { InvitePage } from './pages/invite-page';
import { LinkPage } from './pages/link-page';
import { LoginPage } from './pages/login-page';
import {
  acceptedMember,
  linkIn,
  linkState,
  mintLink,
  postLoginForm,
  postLoginFormFrom,
  recordEmailedLinks,
  secretOf,
  studioDatabaseBytes,
  uniqueEmail,
} from './sign-in-support';

const SESSION_COOKIE = 'studio-session';
const SESSION_TTL_MS = 5.5 * 3_600_000;
const LANDING = /\/settings\/access$/;

test.describe('sign-in by email link', () => {
  test('signs in end to end from the email in the outbox, with the right cookie, and signs out', async ({
    page,
    context,
    admin,
    outbox,
  }) => {
    const email = await acceptedMember(admin, 'end-to-end', 'full');
    const login = new LoginPage(page);
    await login.goto();
    const sentAt = new Date();
    await login.requestLink(email);

    const message = await outbox.waitFor(email, { subject: /sign-in link/, since: sentAt });
    expect(message.html).toContain(`href="${E2E_BASE_URL}/auth/link#`);
    const link = linkIn(message.text);
    expect(link.startsWith(`${E2E_BASE_URL}/auth/link#`)).toBe(true);

    const linkPage = new LinkPage(page);
    await linkPage.open(link);
    await linkPage.expectSignInAs(email);
    // The secret leaves the address bar once read.
    expect(new URL(page.url()).hash).toBe('');
    await linkPage.signIn();
    await expect(page).toHaveURL(LANDING);
    const header = new ConsoleHeader(page);
    await header.expectSignedInAs(email, 'Full access');

    const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    expect(cookie?.domain).toBe('localhost');
    expect(cookie!.expires * 1000).toBeGreaterThan(Date.now() + SESSION_TTL_MS - 120_000);
    expect(cookie!.expires * 1000).toBeLessThan(Date.now() + SESSION_TTL_MS + 120_000);
    expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);

    // The database keeps the hash of the secret, never the secret.
    expect(studioDatabaseBytes().includes(Buffer.from(secretOf(link)))).toBe(false);

    await header.signOut();
    await expect(page).toHaveURL(/\/login$/);
    expect((await context.cookies()).find((c) => c.name === SESSION_COOKIE)).toBeUndefined();
    await page.goto('/settings/access');
    await expect(page).toHaveURL(/\/login$/);
  });

  test('answers a stranger exactly as a member; a second request within 60 s sends no mail', async ({
    page,
    admin,
    outbox,
  }) => {
    const member = await acceptedMember(admin, 'repeat', 'manage');
    const login = new LoginPage(page);

    const start = await consoleCognitoCalls();
    await login.goto();
    const forMember = await login.requestLink(member);
    await outbox.waitFor(member, { subject: /sign-in link/ });
    await linkRequestsDone(start, { lookups: 1, members: 1 });

    const before = await consoleCognitoCalls();
    const stranger = uniqueEmail('stranger');
    await login.goto();
    const forStranger = await login.requestLink(stranger);
    await login.goto();
    const forMemberAgain = await login.requestLink(member);
    expect(forStranger).toBe(forMember);
    expect(forMemberAgain).toBe(forMember);

    // Both requests' background work is over (two look-ups; the member's challenge answered, during
    // which the trigger would have mailed a link): the repeat sent nothing, the stranger got nothing.
    await linkRequestsDone(before, { lookups: 2, members: 1 });
    expect(outbox.messagesTo(member)).toHaveLength(1);
    expect(outbox.messagesTo(stranger)).toHaveLength(0);
  });

  test('GET and HEAD of the link page spend nothing; only the button does', async ({
    page,
    request,
    admin,
  }) => {
    const email = await acceptedMember(admin, 'get-head', 'full');
    const link = await mintLink(admin, email);

    expect((await request.get(link)).status()).toBe(200);
    expect((await request.head(link)).status()).toBe(200);
    expect(await linkState(link)).toBe('valid');

    const linkPage = new LinkPage(page);
    await linkPage.open(link);
    await linkPage.expectSignInAs(email);
    await linkPage.open(link);
    await linkPage.expectSignInAs(email);
    expect(await linkState(link)).toBe('valid');

    await linkPage.signIn();
    await expect(page).toHaveURL(LANDING);
    expect(await linkState(link)).toBe('used');
  });

  test('of two simultaneous uses of one link, exactly one gets a session', async ({ browser, admin }) => {
    const email = await acceptedMember(admin, 'race', 'full');
    const link = await mintLink(admin, email);
    const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
    try {
      const pages = await Promise.all(contexts.map((context) => context.newPage()));
      const linkPages = pages.map((page) => new LinkPage(page));
      for (const linkPage of linkPages) {
        await linkPage.open(link);
        await linkPage.expectSignInAs(email);
      }
      await Promise.all(linkPages.map((linkPage) => linkPage.signIn()));
      const outcomes = await Promise.all(
        pages.map(async (page) => {
          const signedIn = page.waitForURL(LANDING).then(() => 'signed in' as const);
          const refused = page
            .getByRole('heading', { name: 'This sign-in link was already used' })
            .waitFor()
            .then(() => 'refused' as const);
          return Promise.race([signedIn, refused]);
        }),
      );
      expect(outcomes.sort()).toEqual(['refused', 'signed in']);
      const sessions = await Promise.all(
        contexts.map(async (context) => (await context.cookies()).some((c) => c.name === SESSION_COOKIE)),
      );
      expect(sessions.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all(contexts.map((context) => context.close()));
    }
  });

  test('says when a link expired, was used, was replaced or is not valid, and offers a new one', async ({
    page,
    context,
    admin,
  }) => {
    const email = await acceptedMember(admin, 'problems', 'manage');
    const linkPage = new LinkPage(page);

    await linkPage.open(await mintLink(admin, email, { ageMs: 16 * 60_000 }));
    await linkPage.expectProblem('This sign-in link has expired');
    await linkPage.sendNewLink.click();
    await expect(page).toHaveURL(/\/login\?email=/);
    await expect(new LoginPage(page).email).toHaveValue(email);

    const older = await mintLink(admin, email);
    const newer = await mintLink(admin, email);
    await linkPage.open(older);
    await linkPage.expectProblem('A newer sign-in link was sent');

    const secret = secretOf(newer);
    const changed = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    await linkPage.open(`${E2E_BASE_URL}/auth/link#${changed}`);
    await linkPage.expectProblem('This sign-in link is not valid');
    await linkPage.open(`${E2E_BASE_URL}/auth/link`);
    await linkPage.expectProblem('This sign-in link is not valid');

    await linkPage.open(newer);
    await linkPage.signIn();
    await expect(page).toHaveURL(LANDING);
    await context.clearCookies();
    await linkPage.open(newer);
    await linkPage.expectProblem('This sign-in link was already used');
    await expect(linkPage.sendNewLink).toBeVisible();
  });

  test("refuses a disabled member's valid link, and a deleted member's", async ({ page, admin }) => {
    const linkPage = new LinkPage(page);
    for (const change of ['disable', 'delete'] as const) {
      const email = await acceptedMember(admin, change, 'full');
      const link = await mintLink(admin, email);
      await linkPage.open(link);
      await linkPage.expectSignInAs(email);
      if (change === 'disable') await admin.disable(email);
      else await admin.deleteMember(email);
      await linkPage.signIn();
      await linkPage.expectProblem('This account cannot sign in');
      await expect(page).toHaveURL(/\/auth\/link$/);
    }
  });

  test("a deleted member's next request lands on /login; a demoted member is shown their new level", async ({
    page,
    admin,
  }) => {
    const email = await acceptedMember(admin, 'changing', 'full');
    const linkPage = new LinkPage(page);
    await linkPage.open(await mintLink(admin, email));
    await linkPage.signIn();
    await expect(page).toHaveURL(LANDING);
    const header = new ConsoleHeader(page);
    await header.expectSignedInAs(email, 'Full access');

    await admin.setLevel(email, 'manage');
    // Another process wrote: this one sees it within the 5 s the member check may be cached.
    await expect
      .poll(
        async () => {
          await page.reload();
          return header.banner.textContent();
        },
        { timeout: 15_000 },
      )
      .toContain('Manage only');

    await admin.deleteMember(email);
    await expect
      .poll(
        async () => {
          await page.goto('/settings/access');
          return new URL(page.url()).pathname;
        },
        { timeout: 15_000 },
      )
      .toBe('/login');
    await expect(
      page.getByText('Your session ended because your access to this team changed.'),
    ).toBeVisible();
  });
});

test.describe('limits on link requests', () => {
  test('the sixth link request in an hour sends nothing and answers exactly as for a stranger', async ({
    page,
    admin,
    outbox,
  }) => {
    const member = await acceptedMember(admin, 'hourly', 'manage');
    // Five emails went to the member in the last hour, the newest ten minutes ago.
    await recordEmailedLinks(
      admin,
      member,
      [50, 40, 30, 20, 10].map((minutes) => minutes * 60_000),
    );
    const login = new LoginPage(page);
    await login.goto();
    const forMember = await login.requestLink(member);
    await login.goto();
    const forStranger = await login.requestLink(uniqueEmail('stranger'));
    expect(forMember).toBe(forStranger);

    // A later member's mail arriving shows the earlier requests were handled; the sixth sent nothing.
    const later = await acceptedMember(admin, 'later-hourly', 'manage');
    await login.goto();
    await login.requestLink(later);
    await outbox.waitFor(later, { subject: /sign-in link/ });
    expect(outbox.messagesTo(member)).toHaveLength(0);
  });

  test('one client gets 30 link requests per 10 minutes whatever headers it sends; others are not held back', async ({
    page,
    request,
    admin,
    outbox,
  }) => {
    // A loopback address of its own (all of 127.0.0.0/8 is this machine), fresh for every run.
    const stamp = Date.now();
    const address = `127.77.${stamp % 250}.${(Math.floor(stamp / 250) % 250) + 1}`;
    for (let i = 0; i < 30; i++) {
      const claimed = `10.0.${i}.1`;
      const answer = await postLoginFormFrom(request, address, uniqueEmail('sprayed'), {
        'X-Forwarded-For': claimed,
        'X-Real-IP': claimed,
        'X-Studio-Client-Address': claimed,
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('a sign-in link is on its way');
    }
    const refused = await postLoginFormFrom(request, address, uniqueEmail('sprayed'), {
      'X-Forwarded-For': '10.0.99.1',
    });
    expect(refused.body).toContain('Too many sign-in requests from this network. Try again in 10 minutes.');
    expect(refused.body).not.toContain('a sign-in link is on its way');

    // The browser, on 127.0.0.1, is another client: answered as always, and the link goes out.
    const member = await acceptedMember(admin, 'other-client', 'manage');
    const login = new LoginPage(page);
    await login.goto();
    await login.requestLink(member);
    await outbox.waitFor(member, { subject: /sign-in link/ });
  });
});

test.describe('refused sign-ins in the activity log', () => {
  test('a reused link shows in Activity as a failed sign-in, with its reason', async ({
    page,
    context,
    admin,
  }) => {
    const email = await acceptedMember(admin, 'reused', 'manage');
    const link = await mintLink(admin, email);
    const linkPage = new LinkPage(page);
    await linkPage.open(link);
    await linkPage.signIn();
    await expect(page).toHaveURL(LANDING);
    await context.clearCookies();
    await linkPage.open(link);
    await linkPage.expectProblem('This sign-in link was already used');

    await signInAs(page, admin, E2E_ADMIN_EMAIL);
    await page.goto(`/settings/activity?member=${encodeURIComponent(email)}`);
    const refusedRow = page.getByRole('table').getByRole('row').filter({ hasText: 'Failed sign-in' });
    await expect(async () => {
      await page.reload();
      await expect(refusedRow).toHaveCount(1, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const cells = await refusedRow.getByRole('cell').allTextContents();
    expect(cells.slice(1)).toEqual([
      email,
      'Failed sign-inSign-in link',
      '—',
      'FailedThe link had already been used.',
    ]);
  });
});

test.describe('the outbox (local mode)', () => {
  test('shows the sign-in email, whose link signs in', async ({ page, admin, outbox }) => {
    const email = await acceptedMember(admin, 'outbox', 'manage');
    const login = new LoginPage(page);
    await login.goto(email);
    await expect(login.email).toHaveValue(email);
    await login.submit.click();
    await expect(login.checkInbox).toBeVisible();
    const message = await outbox.waitFor(email, { subject: /sign-in link/ });

    await page.goto(`/dev/outbox?id=${encodeURIComponent(message.id)}`);
    const article = page.getByRole('article', { name: 'Message: Your sign-in link for Studio Access' });
    await expect(article).toContainText(`to ${email}`);
    await article.getByRole('link', { name: /\/auth\/link#/ }).click();
    await new LinkPage(page).expectSignInAs(email);
  });
});

test.describe('invitations', () => {
  test('an invitee accepts from the email with the temporary password alone and is signed in', async ({
    page,
    admin,
    outbox,
  }) => {
    const email = uniqueEmail('invitee');
    await admin.createMember(email, 'manage', { sendInvitation: true });
    const invitation = await outbox.waitFor(email, { subject: /invited you|You are invited/ });
    expect(invitation.kind).toBe('invitation');
    const temporaryPassword = /Temporary password: (\S+)/.exec(invitation.text)?.[1];
    const inviteUrl = /https?:\/\/\S+\/invite\?email=\S+/.exec(invitation.text)?.[0];
    expect(temporaryPassword).toBeTruthy();
    expect(inviteUrl?.startsWith(`${E2E_BASE_URL}/invite`)).toBe(true);

    const invite = new InvitePage(page);
    await invite.open(inviteUrl!);
    await expect(invite.email).toHaveValue(email);
    // No password to choose, and the page says so.
    await expect(invite.linksFromNowOn).toHaveText(
      'There is no password to choose: after this, you sign in with a one-time link we email you.',
    );
    await expect(page.getByLabel(/new password/i)).toHaveCount(0);
    await expect(page.getByRole('radio')).toHaveCount(0);

    await invite.accept(email, 'Wrong-Password-1!');
    await expect(page.getByText('The email or temporary password is incorrect.').first()).toBeVisible();
    await expect(invite.email).toHaveValue(email);

    await invite.accept(email, temporaryPassword!);
    await expect(page).toHaveURL(LANDING);
    await new ConsoleHeader(page).expectSignedInAs(email, 'Manage only');
    expect(await admin.status(email)).toEqual({ status: 'CONFIRMED', enabled: true });

    // From then on, email links: the invitation's password is spent, and /login sends a link.
    await new ConsoleHeader(page).signOut();
    const login = new LoginPage(page);
    await login.goto();
    await login.requestLink(email);
    const message = await outbox.waitFor(email, { subject: /sign-in link/ });
    const linkPage = new LinkPage(page);
    await linkPage.open(linkIn(message.text));
    await linkPage.signIn();
    await expect(page).toHaveURL(LANDING);
  });
});

test.describe('cross-site requests and forged hosts', () => {
  test('a server action posted with Origin null, a foreign origin or none is refused with 403', async ({
    request,
    admin,
    outbox,
  }) => {
    const email = await acceptedMember(admin, 'csrf', 'full');
    const cases: [string, Record<string, string>, RegExp][] = [
      ['none', {}, /no Origin header/],
      ['null', { Origin: 'null' }, /opaque origin/],
      ['foreign', { Origin: 'https://evil.example' }, /comes from https:\/\/evil\.example/],
      // A forged forwarding header that would satisfy Next's own Origin-vs-Host check.
      ['forwarded', { Origin: 'https://evil.example', 'X-Forwarded-Host': 'evil.example' }, /evil\.example/],
    ];
    const before = await consoleCognitoCalls();
    for (const [, headers, reason] of cases) {
      const response = await postLoginForm(request, email, headers);
      expect(response.status).toBe(403);
      expect(response.body).toMatch(reason);
      expect(response.body).toContain(`Studio Access at ${E2E_BASE_URL}`);
    }
    // Refused before the action ran: nothing was scheduled. A same-origin request afterwards is the one
    // that looks the member up and mails them; when its work is over, it is the only work there was.
    const beforeAllowed = await consoleCognitoCalls();
    expect((await postLoginForm(request, email, { Origin: E2E_BASE_URL })).status).toBeLessThan(400);
    const done = await linkRequestsDone(beforeAllowed, { lookups: 1, members: 1 });
    expect(callsSince(before, await consoleCognitoCalls())).toEqual(done);
    expect(done).toMatchObject({ ListUsers: 1, AdminRespondToAuthChallenge: 1 });
    await outbox.waitFor(email, { subject: /sign-in link/ });
    expect(outbox.messagesTo(email)).toHaveLength(1);
  });

  test('forwarded-host headers do not change the emailed link (a foreign Host is refused outright)', async ({
    request,
    admin,
    outbox,
  }) => {
    const email = await acceptedMember(admin, 'host', 'manage');
    const refused = await postLoginForm(request, email, {
      Origin: E2E_BASE_URL,
      Host: `evil.example:${E2E_PORT}`,
    }).catch((error: unknown) => ({ status: 0, body: String(error) }));
    // The form itself is fetched with the right Host; the forged POST is refused before any route.
    expect(refused.status).toBe(421);
    const response = await postLoginForm(request, email, {
      Origin: E2E_BASE_URL,
      'X-Forwarded-Host': 'evil.example',
      'X-Forwarded-Proto': 'https',
    });
    expect(response.status).toBeLessThan(400);
    const message = await outbox.waitFor(email, { subject: /sign-in link/ });
    expect(linkIn(message.text).startsWith(`${E2E_BASE_URL}/auth/link#`)).toBe(true);
    expect(message.text).not.toContain('evil.example');
    expect(message.html).not.toContain('evil.example');
  });
});
