import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLevel } from '@/lib/access-levels';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import { type CognitoContext, createCognitoClient } from './client';
import { cognitoCall, IdentityError, toIdentityError } from './errors';
import {
  findMemberByEmail,
  listAccessGroupRecords,
  listUserRecords,
  memberStatus,
  type RecordPage,
  type UserFilter,
} from './members';
import { provision } from './provision';

const DAY = 86_400_000;
let service: LocalCognito;
let client: CognitoIdentityProviderClient;
let ctx: CognitoContext;

async function addMember(email: string, level: AccessLevel | null, options: { accepted?: boolean } = {}) {
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: ctx.poolId,
      Username: email,
      UserAttributes: [{ Name: 'email', Value: email }],
      MessageAction: 'SUPPRESS',
    }),
  );
  if (options.accepted) {
    await client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: ctx.poolId,
        Username: email,
        Password: 'Correct-Horse-1',
        Permanent: true,
      }),
    );
  }
  if (level) {
    await client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: ctx.poolId,
        Username: email,
        GroupName: level === 'full' ? 'Full-access' : 'Manage-only',
      }),
    );
  }
}

beforeAll(async () => {
  service = await startLocalCognito({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'members-test-')),
    port: 0,
    log: () => {},
  });
  client = createCognitoClient({
    identityBackend: 'local',
    cognitoEndpoint: service.url,
    awsRegion: 'us-east-1',
  });
  const { poolId } = await provision(client, {
    appId: 'membertest01',
    shortCode: 'abcd1234',
    awsRegion: 'us-east-1',
    awsAccountId: '000000000000',
    userPoolId: undefined,
    bootstrapAdminEmail: 'admin@example.com',
    sessionTtlMs: 3_600_000,
  });
  ctx = { client, poolId, now: Date.now };
  await addMember('ana@example.com', 'manage', { accepted: true });
  await addMember('anton@example.com', 'full');
  await addMember('bo@example.com', 'manage');
  await addMember('cy@example.com', null, { accepted: true });
  await addMember('dee@example.com', 'manage', { accepted: true });
  await client.send(new AdminDisableUserCommand({ UserPoolId: ctx.poolId, Username: 'dee@example.com' }));
});

afterAll(async () => {
  client.destroy();
  await service.close();
});

async function allEmails(read: (token: string | undefined) => Promise<RecordPage>, limit: number) {
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await read(token);
    expect(page.members.length).toBeLessThanOrEqual(limit);
    seen.push(...page.members.map((m) => m.email));
    token = page.nextToken;
    pages++;
  } while (token);
  return { emails: seen.sort(), pages };
}

describe('listUserRecords', () => {
  it('returns every member once across pages, with status', async () => {
    const { emails, pages } = await allEmails((token) => listUserRecords(ctx, { limit: 2, token }), 2);
    expect(pages).toBe(3);
    expect(emails).toEqual([
      'admin@example.com',
      'ana@example.com',
      'anton@example.com',
      'bo@example.com',
      'cy@example.com',
      'dee@example.com',
    ]);

    const all = new Map((await listUserRecords(ctx, { limit: 60 })).members.map((m) => [m.email, m]));
    expect(all.get('ana@example.com')).toMatchObject({ status: 'active', enabled: true });
    expect(all.get('anton@example.com')).toMatchObject({ status: 'pending' });
    expect(all.get('cy@example.com')).toMatchObject({ status: 'active' });
    expect(all.get('dee@example.com')).toMatchObject({ status: 'disabled', enabled: false });
    const ana = all.get('ana@example.com')!;
    expect(ana.username).not.toBe('');
    expect(Date.parse(ana.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(ana.updatedAt)).toBeGreaterThanOrEqual(Date.parse(ana.createdAt));
  });

  it('filters by email prefix, case-insensitively', async () => {
    const page = await listUserRecords(ctx, { filter: { emailPrefix: 'AN' }, limit: 60 });
    expect(page.members.map((m) => m.email).sort()).toEqual(['ana@example.com', 'anton@example.com']);
    const none = await listUserRecords(ctx, { filter: { emailPrefix: 'zz' }, limit: 60 });
    expect(none.members).toEqual([]);
  });

  it('filters by Cognito status and by disabled', async () => {
    const emails = async (filter: UserFilter) =>
      (await listUserRecords(ctx, { filter, limit: 60 })).members.map((m) => m.email).sort();
    expect(await emails({ userStatus: 'FORCE_CHANGE_PASSWORD' })).toEqual([
      'anton@example.com',
      'bo@example.com',
    ]);
    expect(await emails({ disabled: true })).toEqual(['dee@example.com']);
  });

  it('shows an invitation past its 7-day validity as expired', async () => {
    const page = await listUserRecords(
      { ...ctx, now: () => Date.now() + 8 * DAY },
      { filter: { emailPrefix: 'anton' }, limit: 60 },
    );
    expect(page.members[0]?.status).toBe('expired');
  });

  it('never asks Cognito for a page size it would refuse', async () => {
    const one = await listUserRecords(ctx, { limit: 0 });
    expect(one.members).toHaveLength(1);
    expect(one.nextToken).toBeDefined();
    expect((await listUserRecords(ctx, { limit: 61 })).members).toHaveLength(6);
  });
});

describe('listAccessGroupRecords', () => {
  it('returns every member of a group once across pages', async () => {
    const manage = await allEmails((token) => listAccessGroupRecords(ctx, 'manage', { limit: 2, token }), 2);
    expect(manage).toEqual({ emails: ['ana@example.com', 'bo@example.com', 'dee@example.com'], pages: 2 });
    const full = await allEmails((token) => listAccessGroupRecords(ctx, 'full', { limit: 1, token }), 1);
    expect(full.emails).toEqual(['admin@example.com', 'anton@example.com']);
  });
});

describe('findMemberByEmail', () => {
  it('finds a member by email in any case, with their level', async () => {
    expect(await findMemberByEmail('BO@example.com', ctx)).toMatchObject({
      email: 'bo@example.com',
      accessLevel: 'manage',
      status: 'pending',
    });
    expect(await findMemberByEmail('ana@example.com', ctx)).toMatchObject({
      accessLevel: 'manage',
      status: 'active',
      enabled: true,
    });
    expect(await findMemberByEmail(' anton@example.com ', ctx)).toMatchObject({
      accessLevel: 'full',
      status: 'pending',
    });
    expect(await findMemberByEmail('cy@example.com', ctx)).toMatchObject({
      accessLevel: null,
      status: 'active',
    });
    expect(await findMemberByEmail('dee@example.com', ctx)).toMatchObject({
      accessLevel: 'manage',
      status: 'disabled',
      enabled: false,
    });
  });

  it('returns null for an unknown email', async () => {
    expect(await findMemberByEmail('nobody@example.com', ctx)).toBeNull();
    expect(await findMemberByEmail('  ', ctx)).toBeNull();
  });
});

describe('memberStatus', () => {
  const created = new Date('2030-01-01T00:00:00Z');
  it.each([
    [{ UserStatus: 'CONFIRMED', Enabled: true }, 0, 'active'],
    [{ UserStatus: 'CONFIRMED', Enabled: false }, 0, 'disabled'],
    [{ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: false }, 9 * DAY, 'disabled'],
    [{ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true }, 7 * DAY, 'pending'],
    [{ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true }, 7 * DAY + 1, 'expired'],
    [{ UserStatus: 'RESET_REQUIRED', Enabled: true }, 0, 'pending'],
  ] as const)('%o after %i ms is %s', (user, elapsed, status) => {
    expect(memberStatus({ ...user, UserCreateDate: created }, created.getTime() + elapsed)).toBe(status);
  });

  it('counts validity from the last change (a resend) rather than creation', () => {
    const resent = new Date(created.getTime() + 5 * DAY);
    expect(
      memberStatus(
        {
          UserStatus: 'FORCE_CHANGE_PASSWORD',
          Enabled: true,
          UserCreateDate: created,
          UserLastModifiedDate: resent,
        },
        created.getTime() + 10 * DAY,
      ),
    ).toBe('pending');
  });
});

describe('domain errors', () => {
  it('maps Cognito exceptions from the service to codes', async () => {
    await expect(
      cognitoCall(() =>
        client.send(
          new AdminCreateUserCommand({
            UserPoolId: ctx.poolId,
            Username: 'ana@example.com',
            MessageAction: 'SUPPRESS',
          }),
        ),
      ),
    ).rejects.toMatchObject({
      name: 'IdentityError',
      code: 'member_exists',
      source: 'UsernameExistsException',
    });
    await expect(
      cognitoCall(() =>
        client.send(new CreateGroupCommand({ UserPoolId: ctx.poolId, GroupName: 'Full-access' })),
      ),
    ).rejects.toMatchObject({ code: 'group_exists' });
    await expect(
      cognitoCall(() =>
        client.send(
          new AdminAddUserToGroupCommand({
            UserPoolId: ctx.poolId,
            Username: 'ghost@example.com',
            GroupName: 'Full-access',
          }),
        ),
      ),
    ).rejects.toMatchObject({ code: 'member_not_found' });
  });

  it('maps throttling to a retryable rate_limited error', () => {
    const error = toIdentityError(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    expect(error).toBeInstanceOf(IdentityError);
    expect(error.code).toBe('rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('Rate exceeded');
  });

  it('maps an unreachable service to unavailable', async () => {
    const closed = await startLocalCognito({
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'members-closed-')),
      port: 0,
      log: () => {},
    });
    await closed.close();
    const offline = createCognitoClient({
      identityBackend: 'local',
      cognitoEndpoint: closed.url,
      awsRegion: 'us-east-1',
    });
    try {
      await expect(
        listUserRecords({ client: offline, poolId: ctx.poolId, now: Date.now }, { limit: 60 }),
      ).rejects.toMatchObject({
        code: 'unavailable',
        retryable: true,
      });
    } finally {
      offline.destroy();
    }
  });
});
