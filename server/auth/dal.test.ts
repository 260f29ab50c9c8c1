// The data access layer against the embedded identity service: a session cookie stops working the
// moment the member is deleted, disabled or re-created, and a demotion refuses the next Full-access
// call. Next's request APIs are replaced by a cookie jar and a header map; everything behind them
// (env, pool discovery, the SDK, Cognito's answers) is the real code.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccessLevel } from '@/lib/access-levels';
import { createCognitoClient } from '@/server/cognito/client';
import { provision } from '@/server/cognito/provision';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import { MEMBER_CACHE_TTL_MS } from './member-cache';
import { sealSession, sessionCookieName } from './session-cookie';
import type { SessionStore } from './session-store';
import { openSqliteSessionStore } from './session-store-sqlite';
import {
  createSessionRecord,
  SESSION_RECORD_CACHE_TTL_MS,
  SESSION_TOUCH_INTERVAL_MS,
  sessionKey,
} from './sessions';

const request = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers() }));

class Interrupted extends Error {
  constructor(
    readonly kind: 'redirect' | 'forbidden',
    readonly to?: string,
  ) {
    super(kind === 'redirect' ? `redirect to ${to}` : 'forbidden');
  }
}

vi.mock('next/headers', () => ({
  cookies: async () => ({
    get: (name: string) =>
      request.cookies.has(name) ? { name, value: request.cookies.get(name) } : undefined,
    set: (name: string, value: string) => request.cookies.set(name, value),
  }),
  headers: async () => request.headers,
}));
vi.mock('next/navigation', () => ({
  redirect: (to: string) => {
    throw new Interrupted('redirect', to);
  },
  forbidden: () => {
    throw new Interrupted('forbidden');
  },
}));

const PUBLIC_URL = 'http://localhost:3456';
const SESSION_SECRET = randomBytes(32).toString('base64url');
const APP_ID = 'daltest00001';
const GROUPS = { full: 'Full-access', manage: 'Manage-only' } as const;

let dataDir: string;
let service: LocalCognito;
let client: CognitoIdentityProviderClient;
let poolId: string;
let sequence = 0;
let dal: typeof import('./dal');
let cache: typeof import('./member-cache');
let session: typeof import('./session');
/** The store the console under test uses (this process's). */
let sessions: SessionStore;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dal-test-'));
  service = await startLocalCognito({ dataDir, port: 0, log: () => {} });
  client = createCognitoClient({
    identityBackend: 'local',
    cognitoEndpoint: service.url,
    awsRegion: 'us-east-1',
  });
  ({ poolId } = await provision(client, {
    appId: APP_ID,
    shortCode: 'daltest1',
    awsRegion: 'us-east-1',
    awsAccountId: '000000000000',
    userPoolId: undefined,
    bootstrapAdminEmail: undefined,
    sessionTtlMs: 3_600_000,
  }));
  // What server/env.ts reads: the console would find this pool and this service by itself.
  vi.stubEnv('DATA_DIR', dataDir);
  vi.stubEnv('APP_ID', APP_ID);
  vi.stubEnv('IDENTITY_BACKEND', 'local');
  vi.stubEnv('COGNITO_LOCAL_PORT', String(service.port));
  vi.stubEnv('PORT', '3456');
  vi.stubEnv('PUBLIC_URL', PUBLIC_URL);
  vi.stubEnv('SESSION_SECRET', SESSION_SECRET);
  dal = await import('./dal');
  cache = await import('./member-cache');
  session = await import('./session');
  sessions = (await import('./session-records')).getSessionStore();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  client?.destroy();
  await service?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  request.cookies.clear();
  request.headers = new Headers();
  cache.dropMemberAccessCache();
});

afterEach(() => {
  vi.useRealTimers();
});

/** An accepted member at `level`, signed in: their session cookie is in the jar. */
async function signedInMember(level: AccessLevel): Promise<string> {
  const email = `dal-${++sequence}@example.com`;
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: email,
      UserAttributes: [{ Name: 'email', Value: email }],
      MessageAction: 'SUPPRESS',
    }),
  );
  await client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: email,
      Password: 'Correct-Horse-1!',
      Permanent: true,
    }),
  );
  await client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: GROUPS[level] }),
  );
  await putSessionCookie(email);
  return email;
}

/** Signs `email` in: a session record, and its sealed cookie in the jar. Returns the session id. */
async function putSessionCookie(email: string, lifetimeMs = 3_600_000): Promise<string> {
  const user = await client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
  const sub = user.UserAttributes?.find((a) => a.Name === 'sub')?.Value ?? '';
  const username = user.Username ?? email;
  const now = Date.now();
  const { sessionId, expiresAt } = await createSessionRecord(
    sessions,
    { sub, username },
    { now, ttlMs: lifetimeMs },
  );
  const sealed = await sealSession(
    { sessionId, sub, username, email, issuedAt: now, expiresAt },
    SESSION_SECRET,
  );
  request.cookies.set(sessionCookieName(PUBLIC_URL), sealed);
  return sessionId;
}

const cookieValue = () => request.cookies.get(sessionCookieName(PUBLIC_URL))!;
const putCookie = (value: string) => request.cookies.set(sessionCookieName(PUBLIC_URL), value);

async function demote(email: string) {
  await client.send(
    new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: email, GroupName: GROUPS.full }),
  );
  await client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: GROUPS.manage }),
  );
}

async function interruption(call: () => Promise<unknown>): Promise<Interrupted> {
  try {
    await call();
  } catch (error) {
    if (error instanceof Interrupted) return error;
    throw error;
  }
  throw new Error('expected a redirect or forbidden()');
}

describe('data access layer', () => {
  it('lets a Full-access member through requireFullAccess', async () => {
    const email = await signedInMember('full');
    await expect(dal.requireFullAccess()).resolves.toMatchObject({ email, accessLevel: 'full' });
  });

  it("refuses a demoted member's next Full-access call at once after the write", async () => {
    const email = await signedInMember('full');
    await dal.requireFullAccess();
    await demote(email);
    cache.dropMemberAccessCache();
    expect((await interruption(() => dal.requireFullAccess())).kind).toBe('forbidden');
    await expect(dal.requireMember()).resolves.toMatchObject({ email, accessLevel: 'manage' });
  });

  it('sees a change made elsewhere (no cache drop here) within 5 seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const email = await signedInMember('full');
    await dal.requireFullAccess();
    await demote(email);
    vi.setSystemTime(Date.now() + MEMBER_CACHE_TTL_MS);
    expect((await interruption(() => dal.requireFullAccess())).kind).toBe('forbidden');
  });

  it("sends a deleted member's next request to /login", async () => {
    const email = await signedInMember('manage');
    await dal.requireMember();
    await client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));
    cache.dropMemberAccessCache();
    expect(await dal.getSession()).toBeNull();
    expect(await interruption(() => dal.requireMember())).toMatchObject({ kind: 'redirect', to: '/login' });
  });

  it('ends the session of a disabled member', async () => {
    const email = await signedInMember('full');
    await client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: email }));
    expect(await dal.getSession()).toBeNull();
  });

  it('does not carry a session over to a new member invited under the same email', async () => {
    const email = await signedInMember('full');
    await client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));
    const stale = request.cookies.get(sessionCookieName(PUBLIC_URL))!;
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }],
        MessageAction: 'SUPPRESS',
      }),
    );
    await client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: GROUPS.full }),
    );
    request.cookies.set(sessionCookieName(PUBLIC_URL), stale);
    cache.dropMemberAccessCache();
    expect(await dal.getSession()).toBeNull();
  });

  it('sends anyone without a session, or with an expired one, to /login', async () => {
    expect(await interruption(() => dal.requireFullAccess())).toMatchObject({
      kind: 'redirect',
      to: '/login',
    });
    const email = await signedInMember('full');
    await putSessionCookie(email, -1);
    expect(await dal.getSession()).toBeNull();
  });

  it('refuses a signed-out session on the next request, whoever holds a copy of the cookie', async () => {
    const email = await signedInMember('full');
    const copy = cookieValue();
    const { sessionId } = (await dal.getSession())!;
    await session.endSession(sessionId);
    putCookie(copy);
    expect(await dal.getSession()).toBeNull();
    expect(await dal.getSessionEnd()).toBe('signed-out');
    expect(await interruption(() => dal.requireMember())).toMatchObject({ kind: 'redirect', to: '/login' });
    // Signing in again gives a new session that works.
    await putSessionCookie(email);
    await expect(dal.requireFullAccess()).resolves.toMatchObject({ email });
  });

  it('ends the session a new sign-in in the same browser replaces', async () => {
    const email = await signedInMember('full');
    const before = cookieValue();
    const { sub, username } = (await dal.getSession())!;
    await session.startSession({ sub, username, email });
    const after = cookieValue();
    expect(after).not.toBe(before);
    await expect(dal.requireFullAccess()).resolves.toMatchObject({ email });
    putCookie(before);
    expect(await dal.getSession()).toBeNull();
  });

  it('sees a session ended by another instance (no cache drop here) within 5 seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await signedInMember('manage');
    const { sessionId } = (await dal.getSession())!;
    const elsewhere = openSqliteSessionStore(dataDir);
    try {
      await elsewhere.revoke(sessionKey(sessionId), Date.now());
    } finally {
      elsewhere.close();
    }
    vi.setSystemTime(Date.now() + SESSION_RECORD_CACHE_TTL_MS);
    expect(await dal.getSession()).toBeNull();
  });

  it('refuses a sealed cookie whose session the server does not know', async () => {
    const email = await signedInMember('full');
    const { sub, username } = (await dal.getSession())!;
    const now = Date.now();
    putCookie(
      await sealSession(
        {
          sessionId: randomBytes(32).toString('base64url'),
          sub,
          username,
          email,
          issuedAt: now,
          expiresAt: now + 60_000,
        },
        SESSION_SECRET,
      ),
    );
    expect(await dal.getSession()).toBeNull();
  });

  it("refuses another member's session id under a member's own cookie", async () => {
    await signedInMember('manage');
    const theirs = (await dal.getSession())!.sessionId;
    const email = await signedInMember('full');
    const mine = (await dal.getSession())!;
    const now = Date.now();
    putCookie(
      await sealSession(
        { ...mine, sessionId: theirs, email, issuedAt: now, expiresAt: now + 60_000 },
        SESSION_SECRET,
      ),
    );
    expect(await dal.getSession()).toBeNull();
  });

  it("ends every session of one member, and no one else's", async () => {
    const email = await signedInMember('full');
    const first = cookieValue();
    await putSessionCookie(email);
    const second = cookieValue();
    await signedInMember('full');
    const someoneElse = cookieValue();
    putCookie(first);
    const { username } = (await dal.getSession())!;

    expect(await session.endMemberSessions(username)).toBe(2);
    for (const cookie of [first, second]) {
      putCookie(cookie);
      expect(await dal.getSession()).toBeNull();
    }
    putCookie(someoneElse);
    await expect(dal.requireMember()).resolves.toMatchObject({ accessLevel: 'full' });
  });

  it('marks a session seen at most once a minute, not on every request', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await signedInMember('manage');
    const { sessionId } = (await dal.getSession())!;
    const signedInAt = (await sessions.get(sessionKey(sessionId)))!.lastSeenAt;
    const seen = async (after: number) => {
      vi.setSystemTime(signedInAt + after);
      cache.dropMemberAccessCache();
      await dal.requireMember();
      return (await sessions.get(sessionKey(sessionId)))!.lastSeenAt;
    };
    expect(await seen(SESSION_TOUCH_INTERVAL_MS - 1)).toBe(signedInAt);
    expect(await seen(SESSION_TOUCH_INTERVAL_MS + 10)).toBe(signedInAt + SESSION_TOUCH_INTERVAL_MS + 10);
    expect(await seen(SESSION_TOUCH_INTERVAL_MS + 20)).toBe(signedInAt + SESSION_TOUCH_INTERVAL_MS + 10);
  });

  it('refuses actions whose Origin is missing, "null" or another site', async () => {
    for (const origin of [undefined, 'null', 'https://evil.example']) {
      request.headers = new Headers(origin ? { origin } : {});
      expect((await interruption(() => dal.verifySameOrigin())).kind).toBe('forbidden');
    }
    request.headers = new Headers({ origin: PUBLIC_URL });
    await expect(dal.verifySameOrigin()).resolves.toBeUndefined();
  });
});
