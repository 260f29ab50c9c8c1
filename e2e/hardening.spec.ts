import http from 'node:http';
import net from 'node:net';
import type { Page } from '@playwright/test';
import { E2E_ADMIN_EMAIL, E2E_PORT } from './environment';
import { expect, test } from './fixtures';
import { LinkPage } from './pages/link-page';
import { mintLink } from './sign-in-support';

/** A raw request to the console under test, with a Host header of our choosing. */
function rawGet(path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: E2E_PORT, path, headers: { Host: host }, agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Console messages that report a Content-Security-Policy violation, collected while `visit` runs. */
async function cspViolations(page: Page, visit: () => Promise<void>): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply)/i.test(message.text())) {
      violations.push(message.text());
    }
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await visit();
  return violations;
}

function expectSecurityHeaders(headers: Record<string, string>) {
  const policy = headers['content-security-policy'] ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

test.describe('hardening', () => {
  test('/login carries the security headers, a fresh nonce each time, and runs clean under its CSP', async ({
    page,
    request,
  }) => {
    const first = await request.get('/login');
    const second = await request.get('/login');
    expectSecurityHeaders(first.headers());
    const nonceOf = (policy: string | undefined) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1];
    expect(nonceOf(first.headers()['content-security-policy'])).not.toBe(
      nonceOf(second.headers()['content-security-policy']),
    );

    const violations = await cspViolations(page, async () => {
      await page.goto('/login');
      // Hydrated and working: the form's action runs and the page says what happens next.
      await page.getByRole('textbox', { name: 'Email' }).fill('someone@example.com');
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await expect(page.getByText(/check your inbox/i)).toBeVisible();
    });
    expect(violations).toEqual([]);
  });

  test('/settings/access carries the security headers and its dialogs work under the CSP', async ({
    page,
    admin,
  }) => {
    const violations = await cspViolations(page, async () => {
      const linkPage = new LinkPage(page);
      await linkPage.open(await mintLink(admin, E2E_ADMIN_EMAIL));
      await linkPage.signIn();
      await expect(page).toHaveURL(/\/settings\/access$/);
      const response = await page.goto('/settings/access');
      expectSecurityHeaders(response?.headers() ?? {});
      await page.getByRole('button', { name: 'Add team members' }).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.keyboard.press('Escape');
      await page.goto('/settings/activity');
      await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
      await page.goto('/dev/outbox');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    });
    expect(violations).toEqual([]);
  });

  test('a page cannot frame the console', async ({ page, request }) => {
    const headers = (await request.get('/login')).headers();
    expect(headers['x-frame-options']).toBe('DENY');
    await page.setContent(`<iframe src="http://localhost:${E2E_PORT}/login"></iframe>`, {
      waitUntil: 'load',
    });
    const frame = page.frames()[1];
    expect(frame).toBeDefined();
    // The frame loaded (load waits for it) but the browser refused to show the console in it.
    expect(await frame!.locator('input[name="email"]').count()).toBe(0);
  });

  test('a request naming another host is refused before any route runs (DNS rebinding)', async () => {
    for (const path of ['/login', '/dev/outbox', '/settings/access', '/_next/static/x.js']) {
      const answer = await rawGet(path, `rebound.example:${E2E_PORT}`);
      expect(answer.status).toBe(421);
      expect(answer.body).toContain(`Open http://localhost:${E2E_PORT}`);
    }
    // Only the health check answers any Host (a load balancer names the instance), and says nothing more.
    const health = await rawGet('/api/health', `10.0.3.17:${E2E_PORT}`);
    expect(health).toEqual({ status: 200, body: '{"status":"ok"}' });
  });

  test('listens on loopback only when PUBLIC_URL is loopback', async () => {
    // 127.0.0.2 is this machine too, but not the address listened on; a wildcard listener accepts it.
    const code = await new Promise<string | undefined>((resolve) => {
      const socket = net.connect({ host: '127.0.0.2', port: E2E_PORT });
      socket.once('connect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(code).toBe('ECONNREFUSED');
  });
});
