// Sign-in end to end below the browser: the embedded Cognito-compatible service with the app's four
// triggers registered under their Lambda names, the provisioned pool, and server/cognito/auth.ts
// talking to it through the unmodified AWS SDK.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRemoveUserFromGroupCommand,
  AdminRespondToAuthChallengeCommand,
  AdminSetUserPasswordCommand,
  type CognitoIdentityProviderClient,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccessLevel } from '@/lib/access-levels';
import { mintOperatorSignInLink, OperatorLinkError } from '@/server/auth/operator-link';
import { openSqliteChallengeStore } from '@/server/challenges';
import { LINK_TTL_MS, MIN_SEND_INTERVAL_MS } from '@/server/challenges/links';
import { type LocalCognito, startLocalCognito } from '@/server/local-cognito/server';
import type { MailMessage } from '@/server/mail/types';
import { createTriggerHandlers } from '@/server/triggers';
import { invitationMetadata, linkMetadata } from '@/server/triggers/protocol';
import {
  type AuthContext,
  acceptInvitation,
  checkTemporaryPassword,
  describeSignInLink,
  getMemberAccess,
  requestSignInLink,
  revokeSession,
  SignInError,
  signInWithLink,
} from './auth';
import { createCognitoClient } from './client';
import { provision } from './provision';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS, triggerFunctionName, triggerKinds } from './resources';

const PUBLIC_URL = 'https://studio.example.com';
const SHORT_CODE = 'signin01';
const DAY = 86_400_000;

let dataDir: string;
let service: LocalCognito;
let client: CognitoIdentityProviderClient;
let ctx: AuthContext;
const mail: MailMessage[] = [];
const clock = { offset: 0, now: () => Date.now() + clock.offset };
let sequence = 0;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-in-test-'));
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
  service = await startLocalCognito({
    dataDir,
    port: 0,
    mailer,
    lambdas: Object.fromEntries(
      triggerKinds.map((kind) => [triggerFunctionName(kind, SHORT_CODE), handlers[kind]]),
    ),
    now: clock.now,
    log: () => {},
  });
  client = createCognitoClient({
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
  ctx = { client, poolId: pool.poolId, clientId: pool.clientId, challenges, now: clock.now };
});

afterAll(async () => {
  client?.destroy();
  ctx?.challenges.close();
  await service?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  clock.offset = 0;
});

/** A member who accepted their invitation, at `level`; a fresh address per test keeps the 60 s rule apart. */
async function member(level: AccessLevel | null = 'full', name = 'member'): Promise<string> {
  const email = `${name}-${++sequence}@example.com`;
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: ctx.poolId,
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
      UserPoolId: ctx.poolId,
      Username: email,
      Password: 'Correct-Horse-1!',
      Permanent: true,
    }),
  );
  if (level) await setLevel(email, level);
  return email;
}

async function setLevel(email: string, level: AccessLevel) {
  const groups = { full: 'Full-access', manage: 'Manage-only' } as const;
  const other = level === 'full' ? 'manage' : 'full';
  await client.send(
    new AdminRemoveUserFromGroupCommand({
      UserPoolId: ctx.poolId,
      Username: email,
      GroupName: groups[other],
    }),
  );
  await client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: ctx.poolId, Username: email, GroupName: groups[level] }),
  );
}

function mailTo(email: string): MailMessage[] {
  return mail.filter((message) => message.to === email);
}

/** Requests a link for `email` and returns the secret from the mail that arrived. */
async function mailedSecret(email: string): Promise<string> {
  const before = mailTo(email).length;
  await requestSignInLink(email, ctx);
  const messages = mailTo(email);
  expect(messages).toHaveLength(before + 1);
  const match = /\/auth\/link#([A-Za-z0-9_-]{43})/.exec(messages.at(-1)!.text);
  if (!match) throw new Error('no link in the mail');
  return match[1]!;
}

async function refusal(promise: Promise<unknown>): Promise<SignInError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof SignInError)) throw new Error(`expected a SignInError, got ${String(error)}`);
  return error;
}

describe('sign-in by email link', () => {
  it('mails a link on PUBLIC_URL that signs the member in once', async () => {
    const email = await member('full');
    const before = mail.length;
    const secret = await mailedSecret(email);
    const message = mail.at(-1)!;
    expect(mail.length).toBe(before + 1);
    expect(message).toMatchObject({
      to: email,
      kind: 'sign-in-link',
      subject: 'Your sign-in link for Studio Access',
    });
    expect(message.text).toContain(`${PUBLIC_URL}/auth/link#${secret}`);

    expect(await describeSignInLink(secret, ctx)).toEqual({ valid: true, email });
    const signedIn = await signInWithLink(secret, ctx);
    expect(signedIn).toMatchObject({ username: expect.any(String), email });
    expect(signedIn.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(signedIn.refreshToken).toBeTruthy();

    expect((await refusal(signInWithLink(secret, ctx))).code).toBe('link_used');
  });

  it('sends nothing for an unknown email, and returns just the same', async () => {
    const before = mail.length;
    await expect(requestSignInLink('nobody@example.com', ctx)).resolves.toBeUndefined();
    expect(mail.length).toBe(before);
  });

  it('sends nothing for a second request within 60 s, and one after', async () => {
    const email = await member('manage');
    await mailedSecret(email);
    clock.offset += MIN_SEND_INTERVAL_MS - 1_000;
    await expect(requestSignInLink(email, ctx)).resolves.toBeUndefined();
    expect(mailTo(email)).toHaveLength(1);
    clock.offset += 1_000;
    await mailedSecret(email);
    expect(mailTo(email)).toHaveLength(2);
  });

  it('refuses an expired link', async () => {
    const email = await member();
    const secret = await mailedSecret(email);
    clock.offset += LINK_TTL_MS;
    const error = await refusal(signInWithLink(secret, ctx));
    expect(error.code).toBe('link_expired');
    expect(error.message).toMatch(/expired/);
  });

  it('of two simultaneous uses of one link, exactly one signs in', async () => {
    const email = await member();
    const secret = await mailedSecret(email);
    const results = await Promise.allSettled([signInWithLink(secret, ctx), signInWithLink(secret, ctx)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect(rejected?.status === 'rejected' && rejected.reason).toBeInstanceOf(SignInError);
    expect((rejected as PromiseRejectedResult).reason.code).toBe('link_used');
  });

  it('refuses the secret with one character changed, and the real one still works', async () => {
    const email = await member();
    const secret = await mailedSecret(email);
    const altered = `${secret.slice(0, 20)}${secret[20] === 'x' ? 'y' : 'x'}${secret.slice(21)}`;
    expect((await refusal(signInWithLink(altered, ctx))).code).toBe('link_invalid');
    await expect(signInWithLink(secret, ctx)).resolves.toMatchObject({ email });
  });

  it("refuses member A's link answered as member B, through Cognito itself", async () => {
    const alice = await member();
    const bob = await member();
    const secret = await mailedSecret(alice);
    const bobAuth = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: ctx.poolId,
        ClientId: ctx.clientId,
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: bob },
      }),
    );
    await expect(
      client.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: ctx.poolId,
          ClientId: ctx.clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: bobAuth.Session,
          ChallengeResponses: { USERNAME: bob, ANSWER: secret },
          ClientMetadata: linkMetadata('ANSWER'),
        }),
      ),
    ).rejects.toBeInstanceOf(NotAuthorizedException);
    // The leaked link is spent: it signs in nobody now.
    expect((await refusal(signInWithLink(secret, ctx))).code).toBe('link_used');
  });

  it('refuses an older link once a newer one was sent', async () => {
    const email = await member();
    const older = await mailedSecret(email);
    clock.offset += MIN_SEND_INTERVAL_MS;
    const newer = await mailedSecret(email);
    expect((await refusal(signInWithLink(older, ctx))).code).toBe('link_replaced');
    await expect(signInWithLink(newer, ctx)).resolves.toMatchObject({ email });
  });

  it("refuses a disabled member's valid link, and a deleted member's", async () => {
    const disabled = await member();
    const secret = await mailedSecret(disabled);
    await client.send(new AdminDisableUserCommand({ UserPoolId: ctx.poolId, Username: disabled }));
    expect((await refusal(signInWithLink(secret, ctx))).code).toBe('member_unavailable');
    // Disabled members are not sent links either.
    clock.offset += MIN_SEND_INTERVAL_MS;
    const before = mail.length;
    await requestSignInLink(disabled, ctx);
    expect(mail.length).toBe(before);
    // Enabled again, the link that was never spent works.
    await client.send(new AdminEnableUserCommand({ UserPoolId: ctx.poolId, Username: disabled }));
    await expect(signInWithLink(secret, ctx)).resolves.toMatchObject({ email: disabled });

    const deleted = await member();
    const deletedSecret = await mailedSecret(deleted);
    await client.send(new AdminDeleteUserCommand({ UserPoolId: ctx.poolId, Username: deleted }));
    expect((await refusal(signInWithLink(deletedSecret, ctx))).code).toBe('member_unavailable');
  });

  it('keeps only hashes: no mailed secret appears in any database file', async () => {
    const email = await member();
    const secrets = [await mailedSecret(email)];
    await signInWithLink(secrets[0]!, ctx);
    clock.offset += MIN_SEND_INTERVAL_MS;
    secrets.push(await mailedSecret(email));
    const files = fs.readdirSync(dataDir).filter((name) => name.includes('.sqlite'));
    expect(files).toEqual(expect.arrayContaining(['studio.sqlite', 'cognito.sqlite']));
    const bytes = Buffer.concat(files.map((name) => fs.readFileSync(path.join(dataDir, name))));
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });

  it("sign-out revokes the session's refresh token", async () => {
    const email = await member();
    const signedIn = await signInWithLink(await mailedSecret(email), ctx);
    const refresh = () =>
      client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: ctx.poolId,
          ClientId: ctx.clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: signedIn.refreshToken! },
        }),
      );
    await expect(refresh()).resolves.toHaveProperty('AuthenticationResult.AccessToken');
    await revokeSession({ username: signedIn.username, refreshToken: signedIn.refreshToken }, ctx);
    await expect(refresh()).rejects.toBeInstanceOf(NotAuthorizedException);
  });
});

describe('invitations', () => {
  /** Invites `email` as a Full-access member would, and returns the temporary password from the email. */
  async function invite(
    level: AccessLevel = 'manage',
  ): Promise<{ email: string; temporaryPassword: string }> {
    const email = `invitee-${++sequence}@example.com`;
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: ctx.poolId,
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
  }

  it('mails the invitation the custom-message trigger wrote', async () => {
    await invite('full');
    const message = mail.at(-1)!;
    expect(message.subject).toBe('owner@example.com invited you to Studio Access');
    expect(message.kind).toBe('invitation');
    expect(message.html).toContain('Full access');
    expect(message.html).toContain(`${PUBLIC_URL}/invite?email=`);
    expect(message.text).toMatch(/expires on \w+ \d{1,2}, \d{4} at \d\d:\d\d UTC/);
    expect(message.html).not.toContain('{####}');
    expect(message.html).not.toContain('{username}');
  });

  it('accepts with a new password: confirmed, signed in, and sent links from then on', async () => {
    const { email, temporaryPassword } = await invite();
    // No links for an invitee who has not accepted yet.
    const before = mailTo(email).length;
    await requestSignInLink(email, ctx);
    expect(mailTo(email)).toHaveLength(before);

    await expect(checkTemporaryPassword(email, temporaryPassword, ctx)).resolves.toBeUndefined();
    const signedIn = await acceptInvitation(
      { email, temporaryPassword, newPassword: 'A-much-better-1' },
      ctx,
    );
    expect(signedIn.email).toBe(email);
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: ctx.poolId, Username: email }));
    expect(user.UserStatus).toBe('CONFIRMED');

    clock.offset += MIN_SEND_INTERVAL_MS;
    await expect(signInWithLink(await mailedSecret(email), ctx)).resolves.toMatchObject({ email });
  });

  it('accepts with "email sign-in links only": a random password nobody knows', async () => {
    const { email, temporaryPassword } = await invite();
    await expect(
      acceptInvitation({ email, temporaryPassword, newPassword: undefined }, ctx),
    ).resolves.toMatchObject({
      email,
    });
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: ctx.poolId, Username: email }));
    expect(user.UserStatus).toBe('CONFIRMED');
    // The temporary password is gone with the invitation.
    expect((await refusal(checkTemporaryPassword(email, temporaryPassword, ctx))).code).toBe(
      'incorrect_credentials',
    );
  });

  it('refuses an expired temporary password, telling the invitee to ask for a new invitation', async () => {
    const { email, temporaryPassword } = await invite();
    clock.offset += (TEMPORARY_PASSWORD_VALIDITY_DAYS + 1) * DAY;
    const error = await refusal(checkTemporaryPassword(email, temporaryPassword, ctx));
    expect(error.code).toBe('temporary_password_expired');
    expect(error.message).toBe(
      'Your temporary password has expired. Ask a Full-access member of your team to send you a new invitation.',
    );
    const accepting = await refusal(
      acceptInvitation({ email, temporaryPassword, newPassword: undefined }, ctx),
    );
    expect(accepting.code).toBe('temporary_password_expired');
  });

  it('refuses a wrong temporary password and an unknown email alike', async () => {
    const { email } = await invite();
    const wrong = await refusal(checkTemporaryPassword(email, 'Not-it-1!', ctx));
    const unknown = await refusal(checkTemporaryPassword('stranger@example.com', 'Not-it-1!', ctx));
    expect(wrong.code).toBe('incorrect_credentials');
    expect(unknown.message).toBe(wrong.message);
  });

  it('says which rule a weak new password breaks, and the invitation still works', async () => {
    const { email, temporaryPassword } = await invite();
    const error = await refusal(
      acceptInvitation({ email, temporaryPassword, newPassword: 'alllowercase1!' }, ctx),
    );
    expect(error.code).toBe('invalid_password');
    expect(error.message).toMatch(/^The new password does not meet the password policy: .*uppercase/i);
    await expect(
      acceptInvitation({ email, temporaryPassword, newPassword: 'Now-Upper-1' }, ctx),
    ).resolves.toMatchObject({
      email,
    });
  });
});

describe('member re-check', () => {
  it('reports the level held now, disabling, and deletion', async () => {
    const email = await member('full');
    const signedIn = await signInWithLink(await mailedSecret(email), ctx);
    expect(await getMemberAccess(signedIn.username, ctx)).toMatchObject({
      sub: signedIn.sub,
      email,
      enabled: true,
      accessLevel: 'full',
    });
    await setLevel(email, 'manage');
    expect((await getMemberAccess(signedIn.username, ctx))?.accessLevel).toBe('manage');
    await client.send(new AdminDisableUserCommand({ UserPoolId: ctx.poolId, Username: email }));
    expect((await getMemberAccess(signedIn.username, ctx))?.enabled).toBe(false);
    await client.send(new AdminDeleteUserCommand({ UserPoolId: ctx.poolId, Username: email }));
    expect(await getMemberAccess(signedIn.username, ctx)).toBeNull();
  });

  it('reports no level for a member in neither group', async () => {
    const email = await member(null);
    const signedIn = await signInWithLink(await mailedSecret(email), ctx);
    expect((await getMemberAccess(signedIn.username, ctx))?.accessLevel).toBeNull();
  });
});

describe('operator sign-in link (npm run signin-link)', () => {
  const mint = (email: string) =>
    mintOperatorSignInLink(email, {
      challenges: ctx.challenges,
      publicUrl: PUBLIC_URL,
      cognito: { client: ctx.client, poolId: ctx.poolId, now: ctx.now },
      now: ctx.now,
    });

  it('mints a working link for a Full-access member, without mail and without the 60 s wait', async () => {
    const email = await member('full');
    const before = mail.length;
    const first = await mint(email);
    const second = await mint(email);
    expect(mail.length).toBe(before);
    expect(second.url.startsWith(`${PUBLIC_URL}/auth/link#`)).toBe(true);
    expect((await refusal(signInWithLink(new URL(first.url).hash.slice(1), ctx))).code).toBe('link_replaced');
    await expect(signInWithLink(new URL(second.url).hash.slice(1), ctx)).resolves.toMatchObject({ email });
  });

  it('refuses Manage-only, disabled and unknown members', async () => {
    const manager = await member('manage');
    await expect(mint(manager)).rejects.toThrow(/does not have Full access/);
    const disabled = await member('full');
    await client.send(new AdminDisableUserCommand({ UserPoolId: ctx.poolId, Username: disabled }));
    await expect(mint(disabled)).rejects.toThrow(/is disabled/);
    await expect(mint('nobody@example.com')).rejects.toBeInstanceOf(OperatorLinkError);
  });

  it('lets a Full-access member who never accepted an invitation in, and activates them', async () => {
    const email = `operator-${++sequence}@example.com`;
    await client.send(
      new AdminCreateUserCommand({
        UserPoolId: ctx.poolId,
        Username: email,
        UserAttributes: [{ Name: 'email', Value: email }],
        MessageAction: 'SUPPRESS',
      }),
    );
    await setLevel(email, 'full');
    const link = await mint(email);
    await expect(signInWithLink(new URL(link.url).hash.slice(1), ctx)).resolves.toMatchObject({ email });
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: ctx.poolId, Username: email }));
    expect(user.UserStatus).toBe('CONFIRMED');
  });
});
