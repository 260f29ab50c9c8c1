// Helpers for the sign-in specs: members that can receive links, links minted the way the operator's
// CLI mints them (straight into the challenge store, no 60 s wait), and reading links out of mail.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { AdminGetUserCommand, AdminSetUserPasswordCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { APIRequestContext } from '@playwright/test';
import type { LinkState } from '@/server/challenges';
import { openSqliteChallengeStore } from '@/server/challenges';
import { hashSecret, issueSignInLink, newSecret } from '@/server/challenges/links';
import { E2E_BASE_URL, E2E_DATA_DIR } from './environment';
import type { IdentityAdmin, Level } from './fixtures';

let counter = 0;

/** An address no earlier run of a reused server has seen. */
export function uniqueEmail(name: string): string {
  return `${name}-${Date.now().toString(36)}-${++counter}@example.com`;
}

/** A member who has accepted their invitation (so /login mails them links), at `level`. */
export async function acceptedMember(
  admin: IdentityAdmin,
  name: string,
  level: Level | null = 'full',
): Promise<string> {
  const email = uniqueEmail(name);
  await admin.createMember(email, level);
  await admin.client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: await admin.poolId(),
      Username: email,
      Password: 'E2e-Accepted-1!',
      Permanent: true,
    }),
  );
  return email;
}

/** A link for `email`, as `npm run signin-link` mints it; `ageMs` back-dates it (to make it expired). */
export async function mintLink(
  admin: IdentityAdmin,
  email: string,
  options: { ageMs?: number } = {},
): Promise<string> {
  const user = await admin.client.send(
    new AdminGetUserCommand({ UserPoolId: await admin.poolId(), Username: email }),
  );
  const store = openSqliteChallengeStore(E2E_DATA_DIR);
  try {
    const link = await issueSignInLink(
      store,
      { username: user.Username ?? email, email },
      { publicUrl: E2E_BASE_URL, now: Date.now() - (options.ageMs ?? 0), channel: 'operator' },
    );
    if (!link) throw new Error('the store refused a link');
    return link.url;
  } finally {
    store.close();
  }
}

/**
 * Records that `email` was emailed a link at each of `agesMs` ago, straight in the challenge store, as
 * the create-auth-challenge trigger records what it sends (no mail goes out for these).
 */
export async function recordEmailedLinks(
  admin: IdentityAdmin,
  email: string,
  agesMs: number[],
): Promise<void> {
  const user = await admin.client.send(
    new AdminGetUserCommand({ UserPoolId: await admin.poolId(), Username: email }),
  );
  const store = openSqliteChallengeStore(E2E_DATA_DIR);
  try {
    for (const age of [...agesMs].sort((a, b) => b - a)) {
      const createdAt = Date.now() - age;
      const stored = await store.put(
        {
          secretHash: hashSecret(newSecret()),
          username: user.Username ?? email,
          email,
          createdAt,
          expiresAt: createdAt + 15 * 60_000,
          channel: 'email',
        },
        { minIntervalMs: 0 },
      );
      if (!stored.stored) throw new Error('the store refused a link');
    }
  } finally {
    store.close();
  }
}

/** What the challenge store says of a link, without spending it. */
export async function linkState(url: string): Promise<LinkState['state']> {
  const store = openSqliteChallengeStore(E2E_DATA_DIR);
  try {
    return (await store.inspect(hashSecret(secretOf(url)), Date.now())).state;
  } finally {
    store.close();
  }
}

export function secretOf(url: string): string {
  const secret = new URL(url).hash.slice(1);
  if (!secret) throw new Error(`no secret in ${url}`);
  return secret;
}

/** The sign-in link in a mail's plain-text body. */
export function linkIn(text: string): string {
  const match = /https?:\/\/\S+\/auth\/link#[A-Za-z0-9_-]+/.exec(text);
  if (!match) throw new Error(`no sign-in link in:\n${text}`);
  return match[0];
}

/** Every byte of the app's database files (main file, WAL, shared memory). */
export function studioDatabaseBytes(): Buffer {
  const files = fs.readdirSync(E2E_DATA_DIR).filter((name) => name.startsWith('studio.sqlite'));
  return Buffer.concat(files.map((name) => fs.readFileSync(path.join(E2E_DATA_DIR, name))));
}

/**
 * Posts the /login form the way a browser without JavaScript would (a multipart server action
 * request), with the headers given: how a cross-site page or a forged Host would reach the action.
 */
export async function postLoginForm(
  request: APIRequestContext,
  email: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const html = await (await request.get('/login')).text();
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const input of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name) fields[name] = decodeEntities(value);
  }
  if (!Object.keys(fields).some((name) => name.startsWith('$ACTION'))) {
    throw new Error('the /login form carries no server action reference');
  }
  const response = await request.post('/login', {
    multipart: { ...fields, email },
    headers,
    maxRedirects: 0,
  });
  return { status: response.status(), body: await response.text() };
}

/**
 * The same no-JavaScript /login post, from another local address (`localAddress`, e.g. 127.0.0.9) over
 * a plain socket: a client of its own, as the console counts clients. `headers` may try to claim
 * another address.
 */
export async function postLoginFormFrom(
  request: APIRequestContext,
  localAddress: string,
  email: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const html = await (await request.get('/login')).text();
  const form = /<form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const data = new FormData();
  for (const input of form.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
    if (name) data.append(name, decodeEntities(value));
  }
  data.append('email', email);
  const encoded = new Response(data);
  const body = Buffer.from(await encoded.arrayBuffer());
  const target = new URL('/login', E2E_BASE_URL);
  return new Promise((resolve, reject) => {
    const post = http.request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress,
        headers: {
          ...headers,
          Host: target.host,
          Origin: E2E_BASE_URL,
          'Content-Type': encoded.headers.get('content-type') ?? '',
          'Content-Length': String(body.length),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    post.on('error', reject);
    post.end(body);
  });
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
