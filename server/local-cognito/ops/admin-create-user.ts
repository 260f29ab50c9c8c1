// AdminCreateUser: a new user in FORCE_CHANGE_PASSWORD with a temporary password, invited by email
// (CustomMessage trigger → InviteMessageTemplate → Cognito's default), or with MessageAction RESEND a
// fresh temporary password and the invitation again.

import { checkRequiredAttributes, isEmail, isPhoneNumber, readAttributes } from '../attributes';
import type { ServiceContext } from '../context';
import { hashTemporaryPassword, uuid } from '../crypto';
import { CognitoError, invalidParameter, userNotFound } from '../errors';
import { composeInvitation, deliverInvitation, type Invitation } from '../invitations';
import { checkPassword, generateTemporaryPassword, temporaryPasswordExpiry } from '../passwords';
import { writeTransaction } from '../sql';
import { getPool, type PoolRecord, requireUser, type UserRecord, usernameKey } from '../store';
import { insertUser, savePassword, userByEmail, userByKey, userByPhone, userType } from '../user-records';
import {
  type Input,
  NAME_PATTERN,
  NAME_PATTERN_TEXT,
  optionalEnum,
  optionalString,
  optionalStringList,
  optionalStringMap,
  requiredString,
  userPoolIdOf,
} from '../validate';

const FORCE_CHANGE_PASSWORD = 'FORCE_CHANGE_PASSWORD';

export const PASSWORD_RULES = {
  max: 256,
  pattern: /^\S(.*\S)?$/s,
  patternText: '^[\\S]+.*[\\S]+$',
  sensitive: true,
};

interface Delivery {
  email?: string;
  phone?: string;
}

export async function adminCreateUser(input: Input, ctx: ServiceContext) {
  const pool = getPool(ctx, userPoolIdOf(input));
  const name = requiredString(input, 'Username', {
    min: 1,
    max: 128,
    pattern: NAME_PATTERN,
    patternText: NAME_PATTERN_TEXT,
  });
  const action = optionalEnum(input, 'MessageAction', ['RESEND', 'SUPPRESS']);
  // Cognito's default medium is SMS; callers that want email say DesiredDeliveryMediums: ['EMAIL'].
  const mediums = optionalStringList(input, 'DesiredDeliveryMediums', { values: ['SMS', 'EMAIL'] }) ?? [
    'SMS',
  ];
  const clientMetadata = optionalStringMap(input, 'ClientMetadata');
  const given = optionalString(input, 'TemporaryPassword', PASSWORD_RULES);
  if (given !== undefined) checkPassword(pool, given);
  const temporaryPassword = given ?? generateTemporaryPassword(pool);

  if (action === 'RESEND') return resend(ctx, pool, name, mediums, temporaryPassword, clientMetadata);

  const signInAttributes = pool.config.UsernameAttributes ?? [];
  const attributes = readAttributes(pool, input, 'UserAttributes');
  const sub = uuid();
  let username = name;
  if (signInAttributes.length > 0) {
    // People sign in with their email (or phone): that goes in the attribute, the username is the sub.
    const attribute =
      signInAttributes.includes('email') && isEmail(name)
        ? 'email'
        : signInAttributes.includes('phone_number') && isPhoneNumber(name)
          ? 'phone_number'
          : undefined;
    if (!attribute) throw invalidParameter(usernameFormatMessage(signInAttributes));
    const stated = attributes.get(attribute);
    if (stated !== undefined && stated.toLowerCase() !== name.toLowerCase()) {
      throw invalidParameter(
        `The ${attribute} attribute must match the username when ${attribute} is the username.`,
      );
    }
    attributes.set(attribute, stated ?? name);
    username = sub;
  }
  checkRequiredAttributes(pool, attributes);
  const key = usernameKey(pool, username);
  const now = ctx.now();
  const user: UserRecord = {
    poolId: pool.id,
    username,
    usernameKey: key,
    sub,
    email: attributes.get('email')?.toLowerCase() ?? null,
    status: FORCE_CHANGE_PASSWORD,
    enabled: true,
    attributes: Object.fromEntries(attributes),
    passwordHash: hashTemporaryPassword(temporaryPassword, ctx.pepper),
    tempPasswordExpiresAt: temporaryPasswordExpiry(pool, now),
    tokensValidAfter: 0,
    createdAt: now,
    updatedAt: now,
  };
  const delivery = action === 'SUPPRESS' ? {} : deliveryFor(user, mediums);

  // Checked before the trigger runs (no message for a user that cannot be created), and again in the
  // write transaction, which holds the database lock: of two concurrent creates, one wins.
  let invitation: Invitation | undefined;
  if (delivery.email) {
    refuseExisting(ctx, pool, user);
    invitation = await composeInvitation(ctx, pool, user, clientMetadata);
  }
  const created = writeTransaction(ctx.db, () => {
    refuseExisting(ctx, pool, user);
    return insertUser(ctx, {
      poolId: user.poolId,
      username: user.username,
      usernameKey: user.usernameKey,
      sub: user.sub,
      attributes: user.attributes,
      status: user.status,
      passwordHash: user.passwordHash,
      tempPasswordExpiresAt: user.tempPasswordExpiresAt,
      now,
    });
  });
  // The user is committed before the message goes out: if delivery fails the user stays and the call
  // fails with CodeDeliveryFailureException, as Cognito does.
  await send(ctx, delivery, invitation, signInName(pool, created), temporaryPassword);
  return { User: userType(created) };
}

async function resend(
  ctx: ServiceContext,
  pool: PoolRecord,
  name: string,
  mediums: string[],
  temporaryPassword: string,
  clientMetadata: Record<string, string> | undefined,
) {
  const user = requireUser(ctx, pool, name);
  if (user.status !== FORCE_CHANGE_PASSWORD) {
    throw new CognitoError(
      'UnsupportedUserStateException',
      `Resend not possible. ${user.username} status is not ${FORCE_CHANGE_PASSWORD}.`,
    );
  }
  const delivery = deliveryFor(user, mediums);
  const invitation = delivery.email ? await composeInvitation(ctx, pool, user, clientMetadata) : undefined;
  const now = ctx.now();
  const updated = writeTransaction(ctx.db, () => {
    const current = userByKey(ctx, pool.id, user.usernameKey);
    if (!current) throw userNotFound();
    if (current.status !== FORCE_CHANGE_PASSWORD) {
      throw new CognitoError(
        'UnsupportedUserStateException',
        `Resend not possible. ${user.username} status is not ${FORCE_CHANGE_PASSWORD}.`,
      );
    }
    const expiresAt = temporaryPasswordExpiry(pool, now);
    const hash = hashTemporaryPassword(temporaryPassword, ctx.pepper);
    savePassword(ctx, current, { status: FORCE_CHANGE_PASSWORD, hash, expiresAt, now });
    return { ...current, passwordHash: hash, tempPasswordExpiresAt: expiresAt, updatedAt: now };
  });
  await send(ctx, delivery, invitation, signInName(pool, updated), temporaryPassword);
  return { User: userType(updated) };
}

function refuseExisting(ctx: ServiceContext, pool: PoolRecord, user: UserRecord): void {
  const signInAttributes = pool.config.UsernameAttributes ?? [];
  if (userByKey(ctx, pool.id, user.usernameKey)) {
    throw new CognitoError('UsernameExistsException', 'User account already exists');
  }
  const email = user.attributes.email;
  if (signInAttributes.includes('email') && email !== undefined && userByEmail(ctx, pool, email)) {
    throw new CognitoError('UsernameExistsException', 'An account with the given email already exists.');
  }
  const phone = user.attributes.phone_number;
  if (signInAttributes.includes('phone_number') && phone !== undefined && userByPhone(ctx, pool, phone)) {
    throw new CognitoError(
      'UsernameExistsException',
      'An account with the given phone_number already exists.',
    );
  }
}

function usernameFormatMessage(signInAttributes: string[]): string {
  if (signInAttributes.includes('email') && signInAttributes.includes('phone_number')) {
    return 'Username should be either an email or a phone number.';
  }
  return signInAttributes.includes('email')
    ? 'Username should be an email.'
    : 'Username should be a phone number.';
}

/** Where the invitation goes, given the requested mediums and the addresses the user has. */
function deliveryFor(user: UserRecord, mediums: string[]): Delivery {
  const delivery: Delivery = {};
  if (mediums.includes('EMAIL')) {
    if (!user.attributes.email) {
      throw invalidParameter(
        'The user has no email address to send the message to (DesiredDeliveryMediums EMAIL).',
      );
    }
    delivery.email = user.attributes.email;
  }
  if (mediums.includes('SMS') && user.attributes.phone_number) delivery.phone = user.attributes.phone_number;
  return delivery;
}

/** What {username} becomes in the message: the name the person signs in with. */
function signInName(pool: PoolRecord, user: UserRecord): string {
  const signInAttributes = pool.config.UsernameAttributes ?? [];
  if (signInAttributes.includes('email') && user.attributes.email) return user.attributes.email;
  if (signInAttributes.includes('phone_number') && user.attributes.phone_number)
    return user.attributes.phone_number;
  return user.username;
}

async function send(
  ctx: ServiceContext,
  delivery: Delivery,
  invitation: Invitation | undefined,
  username: string,
  temporaryPassword: string,
): Promise<void> {
  if (delivery.phone) {
    // No SMS gateway in the embedded service: the text message is only logged.
    ctx.log(
      `local-cognito: SMS to ${delivery.phone}: your username is ${username}; a temporary password was set.`,
    );
  }
  if (delivery.email && invitation) {
    await deliverInvitation(ctx, delivery.email, invitation, username, temporaryPassword);
  }
}
