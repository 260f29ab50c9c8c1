import { expect, test } from './fixtures';

test.describe('the outbox on a phone', () => {
  test('at 390 px the message table stays inside its border and the page does not scroll sideways', async ({
    page,
    admin,
    outbox,
  }) => {
    // A long address with no hyphen to break at, and a long subject, as invitations have.
    const email = `averylongmailboxname.fortheoutbox.${Date.now().toString(36)}@example.com`;
    await admin.createMember(email, 'manage', { sendInvitation: true });
    await outbox.waitFor(email, { subject: /invited you|You are invited/ });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/dev/outbox');
    const table = page.getByRole('table', { name: 'Messages, newest first' });
    await expect(table).toContainText(email);
    const fit = await table.evaluate((element) => {
      const card = element.closest('.amplify-card') ?? element.parentElement!;
      const box = card.getBoundingClientRect();
      const rows = [...element.querySelectorAll('tr')].map((row) => row.getBoundingClientRect());
      return {
        cardRight: box.right,
        widest: Math.max(...rows.map((row) => row.right)),
        tableWider: element.scrollWidth > card.clientWidth + 1,
        pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });
    expect(fit.pageOverflow).toBe(0);
    expect(fit.tableWider).toBe(false);
    expect(fit.widest).toBeLessThanOrEqual(fit.cardRight + 0.5);
  });
});
