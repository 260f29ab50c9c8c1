// The last-admin rule across instances: the team's only two Full-access members, one signed in on A
// and one on B, demote each other at the same moment. Each request reads "another Full-access member
// remains" and then writes; only the team lock (a lease on the table, server/members/team-lease.ts)
// makes that one step across the two processes. aws:local runs the identity service with a latency
// (playwright.aws.config.ts: --cognito-latency), as a Cognito region away would, so the two requests'
// reads and writes overlap as they would in AWS: without the lock both demotions go through and the
// team is left with no Full-access member.
import { expect, type Page, test } from '@playwright/test';
import { AccessPage } from '../e2e/pages/access-page';
import { LinkPage } from '../e2e/pages/link-page';
import {
  createActiveMember,
  deleteMember,
  fullAccessEmails,
  newPage,
  on,
  operatorLink,
  setLevel,
  waitForInstanceB,
} from './aws-local-support';
import { ADMIN_EMAIL, CONSOLE_A, CONSOLE_B } from './environment';

const REFUSED = "You can't demote the last Full access member.";

test.beforeAll(waitForInstanceB);

/**
 * Signs the members in, one per page, pressing "Sign in" on both at the same moment. Each instance
 * then holds its member's access (the data access layer's cache, up to 5 s) from the same instant,
 * so neither of the requests below starts with a re-check the other skips.
 */
async function signInTogether(members: Array<{ page: Page; email: string; origin: string }>) {
  const links = members.map(({ page }) => new LinkPage(page));
  await Promise.all(
    members.map(async ({ email, origin }, i) => {
      await links[i]!.open(on(origin, await operatorLink(email)));
      await expect(links[i]!.signInButton).toBeEnabled();
    }),
  );
  await Promise.all(links.map((link) => link.signInButton.dispatchEvent('click')));
  await Promise.all(members.map(({ page, origin }) => expect(page).toHaveURL(`${origin}/settings/access`)));
  return members.map(({ page }) => new AccessPage(page));
}

test('the only two Full-access members, on two instances, demote each other at once: exactly one keeps it', async ({
  browser,
}) => {
  const run = Date.now().toString(36);
  const [first, second] = [`first-admin-${run}@example.com`, `second-admin-${run}@example.com`];
  await createActiveMember(first, 'full');
  await createActiveMember(second, 'full');
  // The bootstrap admin steps aside for the length of the test (through Cognito, not a console: no
  // instance holds their access meanwhile), so `first` and `second` are the last two.
  await setLevel(ADMIN_EMAIL, 'manage');
  const pages: Page[] = [];
  try {
    expect(await fullAccessEmails()).toEqual([first, second]);
    const [pageA, pageB] = [await newPage(browser), await newPage(browser)];
    pages.push(pageA, pageB);
    const [onA, onB] = (await signInTogether([
      { page: pageA, email: first, origin: CONSOLE_A },
      { page: pageB, email: second, origin: CONSOLE_B },
    ])) as [AccessPage, AccessPage];

    // Each opens "Edit team member(s)" for the other, chooses Manage only, and both press Save at once.
    const [saveOnA, saveOnB] = await Promise.all([
      onA.prepareLevelEdit([second], 'Manage only'),
      onB.prepareLevelEdit([first], 'Manage only'),
    ]);
    // Dispatched, not clicked: Playwright's checks before a click would put tens of ms between the two.
    await Promise.all([saveOnA.dispatchEvent('click'), saveOnB.dispatchEvent('click')]);
    await Promise.all([expect(onA.dialog).toBeHidden(), expect(onB.dialog).toBeHidden()]);

    const remaining = await fullAccessEmails();
    expect(remaining, 'the Full-access members left after both saves').toHaveLength(1);
    // The one who kept Full access is the one whose request went through; the other was told why not.
    const [winner, loser] = remaining[0] === first ? [onA, onB] : [onB, onA];
    const [kept, demoted] = remaining[0] === first ? [first, second] : [second, first];
    await expect(winner.result).toContainText(`${demoted} is now Manage only.`);
    await expect(loser.result).toHaveAttribute('role', 'alert');
    await expect(loser.result).toContainText(REFUSED);

    // Both instances show the team as it is: one Full access, one Manage only.
    await Promise.all(
      [onA, onB].map(async (access) => {
        await access.goto();
        await access.expectRow(kept, 'Full access', 'Active');
        await access.expectRow(demoted, 'Manage only', 'Active');
      }),
    );
  } finally {
    // Back to the team the other specs expect: the bootstrap admin alone, with Full access.
    for (const page of pages) await page.context().close();
    await setLevel(ADMIN_EMAIL, 'full');
    await deleteMember(first);
    await deleteMember(second);
  }
});
