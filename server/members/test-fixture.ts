// Shared by the members integration tests: the embedded identity service with the app's triggers and
// a mailer that can be "down", fresh provisioned pools, and a MembersContext on real SQLite stores.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AdminDisableUserCommand,
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AccessLevel } from '@/lib/access-levels';
import { openSqliteSessionStore, type SqliteSessionStore } from '@/server/auth/session-store-sqlite';
import { type ChallengeStore, openSqliteChallengeStore } from '@/server/challenges';
import { createCognitoClient } from '@/server/cognito/client';
import {
  addToAccessGroup,
  createMemberWithoutInvitation,
  setPermanentPassword,
} from '@/server/cognito/member-admin';
import { findMemberRecordByEmail } from '@/server/cognito/members';
import { provision } from '@/server/cognito/provision';
import {
  TEMPORARY_PASSWORD_VALIDITY_DAYS,
  triggerFunctionName,
  triggerKinds,
} from '@/server/cognito/resources';
import { type RetryPolicy, TokenBucket } from '@/server/cognito/throttle';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import type { Mailer, MailMessage } from '@/server/mail/types';
import { createTriggerHandlers } from '@/server/triggers';
import type { Actor, MembersContext } from './context';
import { openSqliteMemberStores } from './sqlite';
import type { MemberStores } from './stores';
import { teamLease } from './team-lease';
import { openSqliteTeamLock } from './team-lock-sqlite';

export const DAY = 86_400_000;
const SHORT_CODE = 'members1';

export interface TestPool {
  poolId: string;
  /** The pool's first Full-access member (BOOTSTRAP_ADMIN_EMAIL), active. */
  admin: Actor;
  context: MembersContext;
}

export interface MembersFixture {
  service: LocalCognito;
  client: CognitoIdentityProviderClient;
  dataDir: string;
  stores: MemberStores;
  sessions: SqliteSessionStore;
  /** Every message the service sent; while `mail.down` is set, sending fails. */
  mail: { sent: MailMessage[]; down: boolean };
  /** The service's clock runs at real time plus this offset. */
  clock: { offset: number; now(): number };
  /** Sleeps the retry policy asked for (it does not wait in tests). */
  backoffs: number[];
  newPool(overrides?: Partial<MembersContext>): Promise<TestPool>;
  close(): Promise<void>;
}

let pools = 0;

export interface MembersFixtureOptions {
  /** Sends the service's mail instead of the in-memory one (`mail` then records what it accepted). */
  mailer?: Mailer;
}

export async function startMembersFixture(options: MembersFixtureOptions = {}): Promise<MembersFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'members-test-'));
  const mail = { sent: [] as MailMessage[], down: false };
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  const mailer = {
    async send(message: MailMessage) {
      if (mail.down) throw new Error('connect ECONNREFUSED 127.0.0.1:2525');
      await options.mailer?.send(message);
      mail.sent.push(message);
    },
  };
  const challenges: ChallengeStore = openSqliteChallengeStore(dataDir);
  const handlers = createTriggerHandlers({
    publicUrl: 'https://studio.example.com',
    productName: 'Studio Access',
    mailer,
    challenges,
    now: clock.now,
    temporaryPasswordValidityDays: TEMPORARY_PASSWORD_VALIDITY_DAYS,
  });
  const service = await startLocalCognito({
    dataDir,
    port: 0,
    mailer,
    lambdas: Object.fromEntries(
      triggerKinds.map((kind) => [triggerFunctionName(kind, SHORT_CODE), handlers[kind]]),
    ),
    now: clock.now,
    log: () => {},
  });
  const client = createCognitoClient({
    identityBackend: 'local',
    cognitoEndpoint: service.url,
    awsRegion: 'us-east-1',
  });
  const stores = openSqliteMemberStores(dataDir, clock.now);
  const sessions = openSqliteSessionStore(dataDir);
  const teamLock = openSqliteTeamLock(dataDir);
  const backoffs: number[] = [];
  const retry: RetryPolicy = {
    attempts: 6,
    baseDelayMs: 100,
    maxDelayMs: 5_000,
    random: () => 1,
    sleep: async (ms) => {
      backoffs.push(ms);
    },
  };

  return {
    service,
    client,
    dataDir,
    stores,
    sessions,
    mail,
    clock,
    backoffs,
    async newPool(overrides = {}) {
      const n = ++pools;
      const appId = `memberstest${n}`;
      const pool = await provision(client, {
        appId,
        shortCode: SHORT_CODE,
        awsRegion: 'us-east-1',
        awsAccountId: '000000000000',
        userPoolId: undefined,
        bootstrapAdminEmail: `admin${n}@example.com`,
        sessionTtlMs: 3_600_000,
      });
      const context: MembersContext = {
        cognito: { client, poolId: pool.poolId, now: clock.now },
        invites: stores.invites,
        activity: stores.activity,
        sessions,
        teamLease: { ...teamLease(teamLock), now: clock.now },
        createLimiter: new TokenBucket(1_000, 100),
        retry,
        settleMs: 60_000,
        readConcurrency: 8,
        ...overrides,
      };
      const admin = await memberByEmail(client, pool.poolId, `admin${n}@example.com`);
      return {
        poolId: pool.poolId,
        admin: { username: admin, email: `admin${n}@example.com`, accessLevel: 'full' },
        context,
      };
    },
    async close() {
      client.destroy();
      stores.close();
      sessions.close();
      teamLock.close();
      challenges.close();
      await service.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function memberByEmail(client: CognitoIdentityProviderClient, poolId: string, email: string) {
  const member = await findMemberRecordByEmail({ client, poolId, now: Date.now }, email);
  if (!member?.username) throw new Error(`no member ${email}`);
  return member.username;
}

export interface SeedOptions {
  level?: AccessLevel | null;
  /** Accepted the invitation (CONFIRMED); otherwise pending. */
  active?: boolean;
  disabled?: boolean;
}

/** A member made without an invitation email, as a pool would hold them; returns the username. */
export async function addMember(
  client: CognitoIdentityProviderClient,
  poolId: string,
  email: string,
  { level = 'manage', active = false, disabled = false }: SeedOptions = {},
): Promise<string> {
  const ctx = { client, poolId, now: Date.now };
  const { username } = await createMemberWithoutInvitation(ctx, email);
  if (!username) throw new Error('AdminCreateUser returned no username');
  if (active) await setPermanentPassword(ctx, username, 'Correct-Horse-1!');
  if (level) await addToAccessGroup(ctx, username, level);
  if (disabled) await client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
  return username;
}

/** The member's group names, sorted. */
export async function groupsOf(
  client: CognitoIdentityProviderClient,
  poolId: string,
  username: string,
): Promise<string[]> {
  const page = await client.send(
    new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username, Limit: 60 }),
  );
  return (page.Groups ?? []).map((g) => g.GroupName ?? '').sort();
}
