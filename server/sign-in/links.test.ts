// Sign-in by email link below the browser: server/sign-in against the embedded Cognito-compatible
// service with the app's four triggers, through the unmodified AWS SDK (./sign-in.fixture.ts).
import fs from 'node:fs';
import path from 'node:path';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mintOperatorSignInLink, OperatorLinkError } from '@/server/auth/operator-link';
import { LINK_TTL_MS, MAX_EMAILS_PER_HOUR, MIN_SEND_INTERVAL_MS } from '@/server/challenges/links';
import { getMemberAccess, revokeSession } from '@/server/cognito/auth';
import { linkMetadata } from '@/server/triggers/protocol';
import type { SignInContext } from './context';
import { SignInError } from './errors';
import { LINK_REQUESTS_PER_CLIENT } from './limits';
import { describeSignInLink, requestSignInLink, signInWithLink, startLinkRequest } from './links';
import { refusal, type SignInFixture, startSignInFixture } from './sign-in.fixture';

const PUBLIC_URL = 'https://studio.example.com';

let fixture: SignInFixture;
let client: CognitoIdentityProviderClient;
let ctx: SignInContext;
let dataDir: string;
let mail: SignInFixture['mail'];
let sequence = 0;

beforeAll(async () => {
  fixture = await startSignInFixture();
  ({ client, ctx, dataDir, mail } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

beforeEach(() => {
  fixture.clock.offset = 0;
  fixture.failures.length = 0;
});

const member: SignInFixture['member'] = (...args) => fixture.member(...args);
const setLevel: SignInFixture['setLevel'] = (...args) => fixture.setLevel(...args);
const mailTo = (email: string) => fixture.mailTo(email);
const mailedSecret = (email: string) => fixture.mailedSecret(email);
const clock = {
  get offset() {
    return fixture.clock.offset;
  },
  set offset(value: number) {
    fixture.clock.offset = value;
  },
};

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

describe('limits on link requests', () => {
  const ask = (email: string, client = '192.0.2.10') =>
    startLinkRequest({ email, client }, ctx, (address) => requestSignInLink(address, ctx));

  it('emails a member five links an hour; the sixth request sends nothing and answers as for a stranger', async () => {
    fixture.resetLimits();
    const email = await member('manage');
    for (let i = 0; i < MAX_EMAILS_PER_HOUR; i++) {
      const answer = ask(email);
      expect(answer.accepted).toBe(true);
      if (answer.accepted) await answer.send();
      expect(mailTo(email)).toHaveLength(i + 1);
      clock.offset += MIN_SEND_INTERVAL_MS;
    }
    const sixth = ask(email);
    const stranger = ask('nobody-at-all@example.com');
    expect(Object.keys(sixth)).toEqual(Object.keys(stranger));
    expect(sixth.accepted && stranger.accepted).toBe(true);
    if (sixth.accepted) await expect(sixth.send()).resolves.toBeUndefined();
    if (stranger.accepted) await expect(stranger.send()).resolves.toBeUndefined();
    expect(mailTo(email)).toHaveLength(MAX_EMAILS_PER_HOUR);
    // The newest link still works; an hour after the first email, another may go.
    clock.offset = 60 * 60_000;
    await mailedSecret(email);
  });

  it(`answers one client ${LINK_REQUESTS_PER_CLIENT.limit} requests per 10 minutes, then says to wait, whatever the address`, async () => {
    fixture.resetLimits();
    const email = await member('manage');
    for (let i = 0; i < LINK_REQUESTS_PER_CLIENT.limit; i++) {
      expect(ask(`someone-${i}@example.com`, '192.0.2.20').accepted).toBe(true);
    }
    const refused = ask(email, '192.0.2.20');
    expect(refused.accepted).toBe(false);
    if (!refused.accepted) {
      expect(refused.retryAfterMs).toBeGreaterThan(LINK_REQUESTS_PER_CLIENT.windowMs - 60_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(LINK_REQUESTS_PER_CLIENT.windowMs);
    }
    expect(ask('stranger@example.com', '::ffff:192.0.2.20')).toMatchObject({ accepted: false });
    // Another client, and the same one once the window has passed, are answered as always.
    const other = ask(email, '192.0.2.21');
    expect(other.accepted).toBe(true);
    if (other.accepted) await other.send();
    expect(mailTo(email)).toHaveLength(1);
    clock.offset += LINK_REQUESTS_PER_CLIENT.windowMs;
    expect(ask(email, '192.0.2.20').accepted).toBe(true);
  });
});

describe('refused links in the activity log', () => {
  it('records a used, expired, replaced or unavailable link for its member, and nothing for an unknown one', async () => {
    const email = await member();
    const used = await mailedSecret(email);
    await signInWithLink(used, ctx);
    await refusal(signInWithLink(used, ctx));
    await describeSignInLink(used, ctx);

    clock.offset += MIN_SEND_INTERVAL_MS;
    const replaced = await mailedSecret(email);
    clock.offset += MIN_SEND_INTERVAL_MS;
    const expired = await mailedSecret(email);
    await refusal(signInWithLink(replaced, ctx));
    clock.offset += LINK_TTL_MS;
    await refusal(signInWithLink(expired, ctx));

    const disabled = await member();
    const valid = await mailedSecret(disabled);
    await client.send(new AdminDisableUserCommand({ UserPoolId: ctx.poolId, Username: disabled }));
    await refusal(signInWithLink(valid, ctx));

    const altered = `${valid.slice(0, -1)}${valid.endsWith('A') ? 'B' : 'A'}`;
    await refusal(signInWithLink(altered, ctx));
    await describeSignInLink(altered, ctx);

    const how = 'Sign-in link';
    expect(fixture.failures).toEqual([
      { email, how, reason: 'The link had already been used.' },
      { email, how, reason: 'The link had already been used.' },
      { email, how, reason: 'A newer link had been sent, which replaced this one.' },
      { email, how, reason: 'The link had expired.' },
      { email: disabled, how, reason: 'The member is disabled or was removed.' },
    ]);
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
