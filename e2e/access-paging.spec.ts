import { E2E_ADMIN_EMAIL } from './environment';
import { expect, test } from './fixtures';
import { AccessPage, signInAs } from './pages/access-page';

test('130 members page correctly: nothing missing, nothing twice, forward and back', async ({
  page,
  admin,
}) => {
  test.setTimeout(120_000);
  const prefix = `paged-${Date.now().toString(36)}-`;
  const emails = Array.from({ length: 130 }, (_, i) => `${prefix}${String(i).padStart(3, '0')}@example.com`);
  for (const [i, email] of emails.entries()) await admin.createMember(email, i % 3 === 0 ? 'full' : 'manage');

  await signInAs(page, admin, E2E_ADMIN_EMAIL);
  const access = new AccessPage(page);
  await access.goto(`q=${prefix}&size=50`);
  await expect(access.pageSize).toHaveValue('50');

  const pages: string[][] = [];
  for (;;) {
    await expect(access.pages).toContainText(`Page ${pages.length + 1}`);
    pages.push(await access.emails());
    const next = access.pages.getByRole('link', { name: 'Next' });
    if ((await next.count()) === 0) break;
    await next.click();
    await expect(access.pages).toContainText(`Page ${pages.length + 1}`);
  }
  expect(pages.map((p) => p.length)).toEqual([50, 50, 30]);
  const seen = pages.flat();
  expect(new Set(seen).size).toBe(seen.length);
  expect([...seen].sort()).toEqual(emails);
  await expect(access.pages.getByRole('button', { name: 'Next' })).toBeDisabled();

  // Back through the trail: the same pages again.
  await access.previous();
  await expect(access.pages).toContainText('Page 2');
  expect(await access.emails()).toEqual(pages[1]);
  await access.previous();
  await expect(access.pages).toContainText('Page 1');
  expect(await access.emails()).toEqual(pages[0]);
  await expect(access.pages.getByRole('button', { name: 'Previous' })).toBeDisabled();

  // The browser's Back button returns to the page it came from, too.
  await access.next();
  await expect(access.pages).toContainText('Page 2');
  await page.goBack();
  await expect(access.pages).toContainText('Page 1');
  expect(await access.emails()).toEqual(pages[0]);

  // A level filter pages the same way: every Full-access one of the 130, each once.
  await access.levelFilter.selectOption('full');
  await expect(page).toHaveURL(/level=full/);
  await expect(page).toHaveURL(new RegExp(`q=${prefix}`));
  const full: string[] = [];
  for (;;) {
    full.push(...(await access.emails()));
    const next = access.pages.getByRole('link', { name: 'Next' });
    if ((await next.count()) === 0) break;
    const before = page.url();
    await next.click();
    await expect(page).not.toHaveURL(before);
  }
  expect(new Set(full).size).toBe(full.length);
  expect(full.sort()).toEqual(emails.filter((_, i) => i % 3 === 0));
});
