import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { accessLevelInfo, isAccessLevel } from '@/lib/access-levels';
import { renderInvitationEmail, USERNAME_PLACEHOLDER } from '@/server/mail/templates/invitation';
import { escapeHtml } from '@/server/mail/templates/layout';
import { ACCESS_LEVEL_KEY, INVITED_BY_KEY } from './protocol';

/** Cognito's default, and what provisioning sets: TemporaryPasswordValidityDays. */
export const TEMPORARY_PASSWORD_VALIDITY_DAYS = 7;

export interface CustomMessageDeps {
  publicUrl: string;
  productName: string;
  now: () => number;
  temporaryPasswordValidityDays?: number;
}

/**
 * Cognito calls this before it sends a message and sends what comes back. For AdminCreateUser (also
 * with MessageAction RESEND) it fills `{username}` and `{####}` itself; for ResendCode it does not
 * fill `{username}`, so that one is filled here. Other messages keep Cognito's defaults.
 */
export function createCustomMessage(deps: CustomMessageDeps) {
  return async (event: CustomMessageTriggerEvent): Promise<CustomMessageTriggerEvent> => {
    if (
      event.triggerSource !== 'CustomMessage_AdminCreateUser' &&
      event.triggerSource !== 'CustomMessage_ResendCode'
    ) {
      return event;
    }
    const metadata = event.request.clientMetadata ?? {};
    const level = metadata[ACCESS_LEVEL_KEY];
    const invitedBy = metadata[INVITED_BY_KEY]?.trim();
    const days = deps.temporaryPasswordValidityDays ?? TEMPORARY_PASSWORD_VALIDITY_DAYS;
    const email = renderInvitationEmail({
      productName: deps.productName,
      publicUrl: deps.publicUrl,
      invitedBy: invitedBy || undefined,
      accessLevel: isAccessLevel(level) ? accessLevelInfo[level] : undefined,
      email: event.request.userAttributes.email,
      expiresAt: deps.now() + days * 24 * 60 * 60 * 1000,
    });
    const html =
      event.triggerSource === 'CustomMessage_ResendCode'
        ? email.html.replaceAll(USERNAME_PLACEHOLDER, escapeHtml(event.userName))
        : email.html;
    event.response.emailSubject = email.subject;
    event.response.emailMessage = html;
    return event;
  };
}
