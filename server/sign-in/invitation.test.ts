// Accepting an invitation below the browser: server/sign-in against the embedded Cognito-compatible
// service with the app's triggers (./sign-in.fixture.ts). Proving the temporary password is all an
// invitee does; every answer costs one password check by Cognito, for members and strangers alike.
import {
  AdminDisableUserCommand,
  AdminGetUserCommand,
  type AdminInitiateAuthCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MIN_SEND_INTERVAL_MS } from '@/server/challenges/links';
import { passwordRefusalOf } from '@/server/cognito/auth';
import { IdentityError } from '@/server/cognito/errors';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS } from '@/server/cognito/resources';
import { acceptInvitation, type InvitationAnswer } from './invitation';
import { INVITATION_ATTEMPTS_PER_ADDRESS, INVITATION_ATTEMPTS_PER_CLIENT } from './limits';
import { signInWithLink } from './links';
import { DAY, PUBLIC_URL, refusal, type SignInFixture, startSignInFixture } from './sign-in.fixture';

let fixture: SignInFixture;
/** ADMIN_USER_PASSWORD_AUTH calls that reached the identity service: one password check each. */
let passwordChecks: string[] = [];

beforeAll(async () => {
  fixture = await startSignInFixture();
  fixture.client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as AdminInitiateAuthCommandInput;
      if (
        context.commandName === 'AdminInitiateAuthCommand' &&
        input.AuthFlow === 'ADMIN_USER_PASSWORD_AUTH'
      ) {
        passwordChecks.push(input.AuthParameters?.USERNAME ?? '');
      }
      return next(args);
    },
    { step: 'initialize', name: 'countPasswordChecks' },
  );
});

afterAll(async () => {
  await fixture?.close();
});

beforeEach(() => {
  fixture.clock.offset = 0;
  fixture.failures.length = 0;
  fixture.resetLimits();
  passwordChecks = [];
});

const accept = (answer: Omit<InvitationAnswer, 'client'> & { client?: string }) =>
  acceptInvitation({ client: '198.51.100.7', ...answer }, fixture.ctx);

describe('accepting an invitation', () => {
  it('mails the invitation the custom-message trigger wrote', async () => {
    await fixture.invite('full');
    const message = fixture.mail.at(-1)!;
    expect(message.subject).toBe('owner@example.com invited you to Studio Access');
    expect(message.kind).toBe('invitation');
    expect(message.html).toContain('Full access');
    expect(message.html).toContain(`${PUBLIC_URL}/invite?email=`);
    expect(message.text).toMatch(/expires on \w+ \d{1,2}, \d{4} at \d\d:\d\d UTC/);
    expect(message.html).not.toContain('{####}');
    expect(message.html).not.toContain('{username}');
  });

  it('signs the invitee in with the temporary password alone; from then on they get links', async () => {
    const { email, temporaryPassword } = await fixture.invite();
    // No links for an invitee who has not accepted yet.
    const before = fixture.mailTo(email).length;
    await fixture.mailedSecret(email).catch(() => undefined);
    expect(fixture.mailTo(email)).toHaveLength(before);

    const signedIn = await accept({ email, temporaryPassword });
    expect(signedIn).toMatchObject({ email, username: expect.any(String), refreshToken: expect.any(String) });
    const user = await fixture.client.send(
      new AdminGetUserCommand({ UserPoolId: fixture.ctx.poolId, Username: email }),
    );
    expect(user.UserStatus).toBe('CONFIRMED');
    // The temporary password is gone with the invitation, and no other password is known to anyone.
    expect((await refusal(accept({ email, temporaryPassword }))).code).toBe('incorrect_credentials');

    fixture.clock.offset += MIN_SEND_INTERVAL_MS;
    await expect(signInWithLink(await fixture.mailedSecret(email), fixture.ctx)).resolves.toMatchObject({
      email,
    });
  });

  it('refuses an expired temporary password, telling the invitee to ask for a new invitation', async () => {
    const { email, temporaryPassword } = await fixture.invite();
    fixture.clock.offset += (TEMPORARY_PASSWORD_VALIDITY_DAYS + 1) * DAY;
    const error = await refusal(accept({ email, temporaryPassword }));
    expect(error.code).toBe('temporary_password_expired');
    expect(error.message).toBe(
      'Your temporary password has expired. Ask a Full-access member of your team to send you a new invitation.',
    );
    expect(fixture.failures).toEqual([
      { email, how: 'Invitation', reason: 'The temporary password had expired.' },
    ]);
  });

  it('refuses a disabled invitee as it refuses a stranger, even with the right password', async () => {
    const { email, temporaryPassword } = await fixture.invite();
    await fixture.client.send(
      new AdminDisableUserCommand({ UserPoolId: fixture.ctx.poolId, Username: email }),
    );
    expect((await refusal(accept({ email, temporaryPassword }))).code).toBe('incorrect_credentials');
    expect(passwordChecks).toEqual([expect.stringMatching(/^no-such-member-/)]);
  });
});

describe('the same answer and the same work for everyone', () => {
  it('a stranger, an invitee with a wrong password and a member get one answer, after one password check each', async () => {
    const { email: invitee } = await fixture.invite();
    const member = await fixture.member('full');
    const stranger = 'stranger@example.com';

    const answers = [];
    for (const email of [stranger, invitee, member]) {
      const error = await refusal(accept({ email, temporaryPassword: 'Not-it-1!' }));
      answers.push({ code: error.code, message: error.message });
    }
    expect(answers).toEqual(
      Array(3).fill({
        code: 'incorrect_credentials',
        message: 'The email or temporary password is incorrect.',
      }),
    );
    // Cognito checked a password for each: the invitee's own, and for the others a username that
    // cannot exist (a member who already joined has no invitation to check).
    expect(passwordChecks).toHaveLength(3);
    const invited = await fixture.client.send(
      new AdminGetUserCommand({ UserPoolId: fixture.ctx.poolId, Username: invitee }),
    );
    expect(passwordChecks[1]).toBe(invited.Username);
    for (const username of [passwordChecks[0], passwordChecks[2]]) {
      expect(username).toMatch(/^no-such-member-[0-9a-f-]{36}$/);
    }
    // Only the invitee is a member the activity log can name.
    expect(fixture.failures).toEqual([
      { email: invitee, how: 'Invitation', reason: 'Wrong temporary password.' },
    ]);
  });
});

describe('limits', () => {
  it(`allows ${INVITATION_ATTEMPTS_PER_ADDRESS.limit} attempts per address in 15 minutes, member or not, then answers alike`, async () => {
    const { email: invitee, temporaryPassword } = await fixture.invite();
    const stranger = 'someone-else@example.com';
    for (const email of [invitee, stranger]) {
      for (let i = 0; i < INVITATION_ATTEMPTS_PER_ADDRESS.limit; i++) {
        expect((await refusal(accept({ email, temporaryPassword: `Wrong-${i}-1!` }))).code).toBe(
          'incorrect_credentials',
        );
      }
    }
    const checks = passwordChecks.length;
    const limited = await Promise.all(
      [invitee, stranger].map((email) => refusal(accept({ email, temporaryPassword }))),
    );
    expect(limited.map((error) => error.code)).toEqual(['too_many_attempts', 'too_many_attempts']);
    expect(limited[0]!.message).toBe(limited[1]!.message);
    expect(limited[0]!.message).toMatch(/^Too many attempts .* Wait 15 minutes/);
    // Past the limit nothing reaches Cognito, so nothing more can be guessed there.
    expect(passwordChecks).toHaveLength(checks);

    fixture.clock.offset += INVITATION_ATTEMPTS_PER_ADDRESS.windowMs;
    await expect(accept({ email: invitee, temporaryPassword })).resolves.toMatchObject({ email: invitee });
  });

  it(`allows ${INVITATION_ATTEMPTS_PER_CLIENT.limit} attempts per client in 15 minutes, over any addresses`, async () => {
    const { email, temporaryPassword } = await fixture.invite();
    const client = '203.0.113.50';
    for (let i = 0; i < INVITATION_ATTEMPTS_PER_CLIENT.limit; i++) {
      const guess = { email: `guess-${i}@example.com`, temporaryPassword: 'Not-it-1!', client };
      expect((await refusal(accept(guess))).code).toBe('incorrect_credentials');
    }
    // The same client, an IPv4-mapped IPv6 spelling included, is refused even with the right password...
    expect((await refusal(accept({ email, temporaryPassword, client }))).code).toBe('too_many_attempts');
    expect((await refusal(accept({ email, temporaryPassword, client: `::ffff:${client}` }))).code).toBe(
      'too_many_attempts',
    );
    // ...while another client is not held back.
    await expect(accept({ email, temporaryPassword, client: '203.0.113.51' })).resolves.toMatchObject({
      email,
    });
  });
});

describe("Cognito's lockout", () => {
  it('is told apart from a wrong password by its message', () => {
    const refusalFor = (message: string) => passwordRefusalOf(new IdentityError('not_authorized', message));
    expect(refusalFor('Password attempts exceeded')).toBe('locked_out');
    expect(refusalFor('Incorrect username or password.')).toBe('incorrect');
    expect(refusalFor('Temporary password has expired and must be reset by an administrator.')).toBe(
      'temporary_password_expired',
    );
    expect(refusalFor('User is disabled.')).toBe('disabled');
  });
});
