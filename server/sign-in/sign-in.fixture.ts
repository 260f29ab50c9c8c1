// Shared by the sign-in integration tests: the embedded Cognito-compatible service with the app's four
// triggers registered under their Lambda names, the provisioned pool, a mailer that keeps what it
// sends, and a SignInContext on them whose clock a test can move and whose refusals it can read.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { expect } from 'vitest';
import type { AccessLevel } from '@/lib/access-levels';
import { openSqliteChallengeStore } from '@/server/challenges';
import { createCognitoClient } from '@/server/cognito/client';
import { provision } from '@/server/cognito/provision';
import {
  TEMPORARY_PASSWORD_VALIDITY_DAYS,
  triggerFunctionName,
  triggerKinds,
} from '@/server/cognito/resources';
import { defaultRetryPolicy } from '@/server/cognito/throttle';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import type { MailMessage } from '@/server/mail/types';
import { createTriggerHandlers } from '@/server/triggers';
import { invitationMetadata } from '@/server/triggers/protocol';
import type { FailedSignIn, SignInContext } from './context';
import { SignInError } from './errors';
import { createSignInLimits } from './limits';
import { requestSignInLink } from './links';

export const PUBLIC_URL = 'https://studio.example.com';
export const DAY = 86_400_000;
const SHORT_CODE = 'signin01';

export interface SignInFixture {
  dataDir: string;
  service: LocalCognito;
  client: CognitoIdentityProviderClient;
  ctx: SignInContext;
  mail: MailMessage[];
  /** Refusals the context recorded for the activity log. */
  failures: FailedSignIn[];
  /** Waits the context's retry policy asked for (it does not wait in tests). */
  backoffs: number[];
  /** The service's and the context's clock: real time plus `offset`. */
  clock: { offset: number; now(): number };
  /** New per-process limits (as after a restart), on the same clock. */
  resetLimits(): void;
  /** A member who accepted their invitation, at `level`; a fresh address each call. */
  member(level?: AccessLevel | null, name?: string): Promise<string>;
  /** Invites a fresh address as a Full-access member would; the temporary password from the email. */
  invite(level?: AccessLevel): Promise<{ email: string; temporaryPassword: string }>;
  setLevel(email: string, level: AccessLevel): Promise<void>;
  mailTo(email: string): MailMessage[];
  /** Requests a link for `email` and returns the secret from the mail that arrived. */
  mailedSecret(email: string): Promise<string>;
  close(): Promise<void>;
}

let sequence = 0;

export async function startSignInFixture(): Promise<SignInFixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-in-test-'));
  const mail: MailMessage[] = [];
  const failures: FailedSignIn[] = [];
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  const challenges = openSqliteChallengeStore(dataDir);
  const mailer = {
    async send(message: MailMessage) {
      mail.push(message);
    },
  };
  const handlers = createTriggerHandlers({
    publicUrl: PUBLIC_URL,
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
  const pool = await provision(client, {
    appId: 'signintest01',
    shortCode: SHORT_CODE,
    awsRegion: 'us-east-1',
    awsAccountId: '000000000000',
    userPoolId: undefined,
    bootstrapAdminEmail: undefined,
    sessionTtlMs: 5.5 * 3_600_000,
  });
  const backoffs: number[] = [];
  const ctx: SignInContext = {
    client,
    poolId: pool.poolId,
    clientId: pool.clientId,
    challenges,
    now: clock.now,
    retry: {
      ...defaultRetryPolicy,
      sleep: async (ms) => {
        backoffs.push(ms);
      },
    },
    limits: createSignInLimits(clock.now),
    failures: { record: (failure) => failures.push(failure) },
  };

  const groups = { full: 'Full-access', manage: 'Manage-only' } as const;
  async function setLevel(email: string, level: AccessLevel) {
    const other = level === 'full' ? 'manage' : 'full';
    await client.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: pool.poolId,
        Username: email,
        GroupName: groups[other],
      }),
    );
    await client.send(
      new AdminAddUserToGroupCommand({ UserPoolId: pool.poolId, Username: email, GroupName: groups[level] }),
    );
  }
  const mailTo = (email: string) => mail.filter((message) => message.to === email);

  return {
    dataDir,
    service,
    client,
    ctx,
    mail,
    failures,
    backoffs,
    clock,
    resetLimits() {
      ctx.limits = createSignInLimits(clock.now);
    },
    async member(level: AccessLevel | null = 'full', name = 'member') {
      const email = `${name}-${++sequence}@example.com`;
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          MessageAction: 'SUPPRESS',
        }),
      );
      await client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: pool.poolId,
          Username: email,
          Password: 'Correct-Horse-1!',
          Permanent: true,
        }),
      );
      if (level) await setLevel(email, level);
      return email;
    },
    async invite(level: AccessLevel = 'manage') {
      const email = `invitee-${++sequence}@example.com`;
      await client.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
          ClientMetadata: invitationMetadata('owner@example.com', level),
        }),
      );
      await setLevel(email, level);
      const message = mailTo(email).at(-1);
      if (!message) throw new Error('no invitation mailed');
      const match = /Temporary password: (\S+)/.exec(message.text);
      if (!match) throw new Error(`no temporary password in:\n${message.text}`);
      return { email, temporaryPassword: match[1]! };
    },
    setLevel,
    mailTo,
    async mailedSecret(email: string) {
      const before = mailTo(email).length;
      await requestSignInLink(email, ctx);
      const messages = mailTo(email);
      expect(messages).toHaveLength(before + 1);
      const match = /\/auth\/link#([A-Za-z0-9_-]{43})/.exec(messages.at(-1)!.text);
      if (!match) throw new Error('no link in the mail');
      return match[1]!;
    },
    async close() {
      client.destroy();
      challenges.close();
      await service.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The SignInError a promise rejects with (anything else fails the test). */
export async function refusal(promise: Promise<unknown>): Promise<SignInError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SignInError)) throw new Error(`expected a SignInError, got ${String(error)}`);
  return error;
}
