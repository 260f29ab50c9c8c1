// What SES says about an invitation email after Cognito sent it. In AWS mode the user pool sends its
// invitations through the stack's SES configuration set, whose event destination (SNS) delivers
// bounces and rejections to the mail-events function: the member's invitation is then marked
// "Invite email failed", with SES's reason, and the activity log says so. Nothing here trusts the
// message's shape: anything unexpected is skipped, never thrown on.
import { isEmailAddress } from '@/lib/email-list';
import type { MemberStores } from '@/server/members/stores';

/**
 * The console records an invitation after Cognito's AdminCreateUser returns, so a little after SES
 * accepted its email; the two clocks may also disagree a little. A bounce is of the member's last
 * invitation unless that invitation was recorded more than this long after the bounced mail was sent.
 */
export const BOUNCE_MATCH_WINDOW_MS = 5 * 60_000;

/** Longest reason kept: SES's diagnostic codes are a remote server's words, of any length. */
const MAX_REASON = 300;

export interface BouncedEmail {
  /** Lower-cased recipient. */
  email: string;
  /** When SES accepted the email that bounced, ms since the epoch. */
  mailSentAt: number;
  /** For people: why the email did not arrive. */
  reason: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** One SES event (configuration-set event publishing, or an identity's notification) → its bounces. */
export function bouncesOf(message: unknown): BouncedEmail[] {
  if (!isObject(message) || !isObject(message.mail)) return [];
  const mailSentAt = Date.parse(text(message.mail.timestamp) ?? '');
  if (!Number.isFinite(mailSentAt)) return [];
  const type = text(message.eventType) ?? text(message.notificationType);

  if (type === 'Bounce' && isObject(message.bounce)) {
    const { bounce } = message;
    const recipients = Array.isArray(bounce.bouncedRecipients) ? bounce.bouncedRecipients : [];
    return recipients.flatMap((recipient) => {
      if (!isObject(recipient)) return [];
      const email = addressOf(text(recipient.emailAddress));
      if (!email) return [];
      const why = bounceReason(text(bounce.bounceType), text(bounce.bounceSubType));
      return [{ email, mailSentAt, reason: withDiagnostic(why, text(recipient.diagnosticCode)) }];
    });
  }
  if (type === 'Reject') {
    const detail = isObject(message.reject) ? text(message.reject.reason) : undefined;
    const reason = withDiagnostic('Amazon SES refused to send it', detail);
    const destination = Array.isArray(message.mail.destination) ? message.mail.destination : [];
    return destination.flatMap((to) => {
      const email = addressOf(text(to));
      return email ? [{ email, mailSentAt, reason }] : [];
    });
  }
  return [];
}

function bounceReason(type: string | undefined, subType: string | undefined): string {
  if (type === 'Permanent') {
    if (subType === 'Suppressed' || subType === 'OnAccountSuppressionList') {
      return 'The address is on the SES suppression list: an earlier email to it bounced';
    }
    if (subType === 'UnsubscribedRecipient') return 'The recipient has unsubscribed from this sender';
    return 'The address does not exist or does not accept email';
  }
  if (type === 'Transient') {
    if (subType === 'MailboxFull') return 'The mailbox is full';
    if (subType === 'MessageTooLarge') return 'The receiving server found the email too large';
    if (subType === 'ContentRejected') return 'The receiving server refused its content';
    if (subType === 'AttachmentRejected') return 'The receiving server refused an attachment';
    return 'The receiving server did not accept it, and SES gave up retrying';
  }
  return 'The email bounced';
}

/** `reason (diagnostic).`, the diagnostic cut to printable text of a bounded length. */
function withDiagnostic(reason: string, diagnostic: string | undefined): string {
  let detail = '';
  for (const char of (diagnostic ?? '').slice(0, MAX_REASON)) {
    const code = char.codePointAt(0) ?? 0;
    detail += code < 0x20 || code === 0x7f ? ' ' : char;
  }
  detail = detail.replace(/ {2,}/g, ' ').trim();
  return detail ? `${reason} (${detail}).` : `${reason}.`;
}

/** `a@b` or `Name <a@b>` → `a@b`, lower-cased; undefined when it is not an address. */
function addressOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const open = value.lastIndexOf('<');
  const close = open >= 0 ? value.indexOf('>', open) : -1;
  const address = (open >= 0 && close > open ? value.slice(open + 1, close) : value).trim().toLowerCase();
  return isEmailAddress(address) ? address : undefined;
}

/**
 * Marks each bounced invitation failed and logs it, as from the member who sent the invitation.
 * Returns the emails whose invitation was marked; the rest had no invitation to mark.
 */
export async function recordBounces(
  bounces: readonly BouncedEmail[],
  stores: Pick<MemberStores, 'invites' | 'activity'>,
  now: () => number = Date.now,
): Promise<string[]> {
  const marked: string[] = [];
  for (const bounce of bounces) {
    const record = await stores.invites.recordBounce(bounce.email, {
      reason: bounce.reason,
      invitedNoLaterThan: bounce.mailSentAt + BOUNCE_MATCH_WINDOW_MS,
    });
    if (!record) continue;
    marked.push(record.email);
    await stores.activity.record({
      actorEmail: record.invitedBy ?? record.email,
      action: 'invite-bounced',
      targetEmail: record.email,
      // Under "Invite email bounced": who said so (the actor only sent the invitation).
      detail: 'Reported by Amazon SES',
      outcome: 'failure',
      message: bounce.reason,
      at: now(),
    });
  }
  return marked;
}

/** The SES events in an SNS-to-Lambda event; a record that is not one is skipped. */
export function sesMessagesOfSnsEvent(event: unknown): unknown[] {
  if (!isObject(event) || !Array.isArray(event.Records)) return [];
  return event.Records.flatMap((record) => {
    if (!isObject(record) || !isObject(record.Sns)) return [];
    const message = text(record.Sns.Message);
    if (!message) return [];
    try {
      return [JSON.parse(message) as unknown];
    } catch {
      return [];
    }
  });
}
