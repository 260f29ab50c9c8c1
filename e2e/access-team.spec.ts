import { E2E_ADMIN_EMAIL } from './environment';
import { expect, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';

test.describe('The team at a glance', () => {
  test('a team of 5 shows its total and comes sorted by email; a level change names member and level', async ({
    page,
    admin,
  }) => {
    const stamp = Date.now().toString(36);
    const team = ['delta', 'alpha', 'echo', 'charlie', 'bravo'].map(
      (name) => `five-${stamp}-${name}@example.com`,
    );
    // Created out of order: the listing's order is not the email order.
    for (const email of team) await admin.createMember(email, 'manage');
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
    const access = new AccessPage(page);
    await access.searchFor(`five-${stamp}-`);
    await expect(access.total).toHaveText('(5 matching)');
    expect(await access.emails()).toEqual([...team].sort());

    const [first, second] = [...team].sort();
    await access.editLevel([first!], 'Full access');
    await expect(access.result).toHaveAttribute('role', 'status');
    await expect(access.result).toContainText(`${first} is now Full access.`);

    // Several at once: one line per member, each saying what changed.
    await access.editLevel([first!, second!], 'Manage only');
    const lines = access.result.getByRole('list', { name: 'Results' }).getByRole('listitem');
    await expect(lines).toHaveCount(2);
    await expect(lines.filter({ hasText: first! })).toContainText('Now has Manage only');
    await expect(lines.filter({ hasText: second! })).toContainText('Already has Manage only');
  });

  test('the whole team without filters shows its total', async ({ page, admin }) => {
    await signInAs(page, admin, E2E_ADMIN_EMAIL);
    const access = new AccessPage(page);
    await expect(access.total).toHaveText(/^\((about )?[\d,]+ members?\)$/);
  });
});
