// The invitation AdminCreateUser sends (and sends again on MessageAction RESEND): composed by the
// pool's CustomMessage trigger when it has one, else from InviteMessageTemplate, else Cognito's default.
import type { CustomMessageAdminCreateUserTriggerEvent } from 'aws-lambda';
import type { ServiceContext } from './context';
import { CognitoError, invalidLambdaResponse } from './errors';
import { htmlToText, looksLikeHtml } from './message-text';
import type { PoolRecord, UserRecord } from './store';
import { invokeTrigger } from './triggers';
import { validationError } from './validate';

export const CODE_PARAMETER = '{####}';
export const USERNAME_PARAMETER = '{username}';
const LINK_PARAMETER = '{##Click Here##}';
const DEFAULT_MESSAGE = 'Your username is {username} and temporary password is {####}.';
const DEFAULT_SUBJECT = 'Your temporary password';
const MAX_MESSAGE = 20_000;
const MAX_SUBJECT = 140;

/** An invitation with its placeholders ({username}, {####}) not yet filled. */
export interface Invitation {
  subject: string;
  message: string;
}

/** The userAttributes Cognito hands to triggers: sub, the stored attributes and cognito:user_status. */
export function triggerAttributes(user: UserRecord): Record<string, string> {
  return { sub: user.sub, ...user.attributes, 'cognito:user_status': user.status };
}

/**
 * Runs the CustomMessage trigger (triggerSource CustomMessage_AdminCreateUser — Cognito uses it for
 * RESEND too, since the message is the invitation again) and returns the message to send. A custom
 * message must keep both placeholders: Cognito rejects one without them with the same validation
 * error as a template (InvalidParameterException at 'emailBody').
 */
export async function composeInvitation(
  ctx: ServiceContext,
  pool: PoolRecord,
  user: UserRecord,
  clientMetadata: Record<string, string> | undefined,
): Promise<Invitation> {
  const template = pool.config.AdminCreateUserConfig?.InviteMessageTemplate;
  const fallback: Invitation = {
    subject: template?.EmailSubject || DEFAULT_SUBJECT,
    message: template?.EmailMessage || DEFAULT_MESSAGE,
  };
  const event: CustomMessageAdminCreateUserTriggerEvent = {
    version: '1',
    region: ctx.region,
    userPoolId: pool.id,
    userName: user.username,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'CLIENT_ID_NOT_APPLICABLE' },
    triggerSource: 'CustomMessage_AdminCreateUser',
    request: {
      userAttributes: triggerAttributes(user),
      codeParameter: CODE_PARAMETER,
      linkParameter: LINK_PARAMETER,
      usernameParameter: USERNAME_PARAMETER,
      ...(clientMetadata ? { clientMetadata } : {}),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  };
  const result = await invokeTrigger(ctx, pool.config.LambdaConfig, 'CustomMessage', event);
  if (!result) return fallback;

  const { emailMessage, emailSubject } = result.response as {
    emailMessage?: unknown;
    emailSubject?: unknown;
  };
  if (!isOptionalString(emailMessage) || !isOptionalString(emailSubject)) throw invalidLambdaResponse();
  if (!emailMessage) return fallback;
  checkInvitationMessage(emailMessage, 'emailBody');
  const subject = emailSubject && [...emailSubject].length <= MAX_SUBJECT ? emailSubject : fallback.subject;
  return { subject, message: emailMessage };
}

const isOptionalString = (value: unknown) =>
  value === undefined || value === null || typeof value === 'string';

const bodyPattern = (placeholder: string) =>
  `[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{${placeholder}\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*`;

/** An invitation body (template or trigger response) must hold {####} and {username}. */
export function checkInvitationMessage(message: string, path: string): void {
  if (!message.includes(CODE_PARAMETER)) {
    throw validationError(
      path,
      message,
      `Member must satisfy regular expression pattern: ${bodyPattern('####')}`,
    );
  }
  if (!message.includes(USERNAME_PARAMETER)) {
    throw validationError(
      path,
      message,
      `Member must satisfy regular expression pattern: ${bodyPattern('username')}`,
    );
  }
  if ([...message].length > MAX_MESSAGE) {
    throw validationError(path, message, `Member must have length less than or equal to ${MAX_MESSAGE}`);
  }
}

/**
 * Fills the placeholders and hands the message to the mailer (or the log when there is none).
 * A mailer failure becomes CodeDeliveryFailureException.
 */
export async function deliverInvitation(
  ctx: ServiceContext,
  to: string,
  invitation: Invitation,
  username: string,
  temporaryPassword: string,
): Promise<void> {
  // One pass, so a username that itself contains "{####}" is not filled with the password.
  const body = invitation.message.replace(/\{username\}|\{####\}/g, (placeholder) =>
    placeholder === USERNAME_PARAMETER ? username : temporaryPassword,
  );
  const html = looksLikeHtml(body);
  const message = {
    to,
    subject: invitation.subject,
    text: html ? htmlToText(body) : body,
    ...(html ? { html: body } : {}),
    kind: 'invitation',
  };
  if (!ctx.mailer) {
    ctx.log(`local-cognito: invitation to ${to}: ${message.subject}\n${message.text}`);
    return;
  }
  try {
    await ctx.mailer.send(message);
  } catch (error) {
    ctx.log(`local-cognito: invitation to ${to} failed: ${error instanceof Error ? error.message : error}`);
    throw new CognitoError('CodeDeliveryFailureException', 'Unable to deliver the message to the user.');
  }
}
