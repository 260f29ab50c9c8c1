// Reading SES's events, in the shapes SES publishes them (configuration-set event publishing through
// SNS, and an identity's feedback notifications), and only what concerns an invitation.
import { describe, expect, it } from 'vitest';
import { bouncesOf, sesMessagesOfSnsEvent } from './delivery-events';

const mail = {
  timestamp: '2026-12-07T10:00:00.000Z',
  source: 'Studio <no-reply@example.com>',
  sourceArn: 'arn:aws:ses:eu-west-1:123456789012:identity/example.com',
  sendingAccountId: '123456789012',
  messageId: '0102018f-aaaa-bbbb-cccc-000000000000-000000',
  destination: ['ana@example.com'],
  headersTruncated: false,
  tags: { 'ses:configuration-set': ['studio-access-d1a2b3c4d5'] },
};
const SENT_AT = Date.parse(mail.timestamp);

function bounceEvent(bounce: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    eventType: 'Bounce',
    bounce: {
      feedbackId: '0102018f-feedback',
      timestamp: '2026-12-07T10:00:02.000Z',
      reportingMTA: 'dsn; a1-2.smtp-out.eu-west-1.amazonses.com',
      ...bounce,
    },
    mail,
    ...extra,
  };
}

describe('bouncesOf', () => {
  it('reads a permanent bounce: each recipient with the time the mail was sent and the diagnostic', () => {
    const event = bounceEvent({
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [
        {
          emailAddress: 'Ana@Example.com',
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
        { emailAddress: 'Bo Lee <bo@example.com>', action: 'failed', status: '5.1.1' },
      ],
    });
    expect(bouncesOf(event)).toEqual([
      {
        email: 'ana@example.com',
        mailSentAt: SENT_AT,
        reason: 'The address does not exist or does not accept email (smtp; 550 5.1.1 user unknown).',
      },
      {
        email: 'bo@example.com',
        mailSentAt: SENT_AT,
        reason: 'The address does not exist or does not accept email.',
      },
    ]);
  });

  it('says why for each kind of bounce SES names', () => {
    const reason = (bounceType: string, bounceSubType: string) =>
      bouncesOf(
        bounceEvent({ bounceType, bounceSubType, bouncedRecipients: [{ emailAddress: 'ana@example.com' }] }),
      )[0]?.reason;
    expect(reason('Permanent', 'OnAccountSuppressionList')).toBe(
      'The address is on the SES suppression list: an earlier email to it bounced.',
    );
    expect(reason('Permanent', 'Suppressed')).toMatch(/suppression list/);
    expect(reason('Transient', 'MailboxFull')).toBe('The mailbox is full.');
    expect(reason('Transient', 'General')).toBe(
      'The receiving server did not accept it, and SES gave up retrying.',
    );
    expect(reason('Undetermined', 'Undetermined')).toBe('The email bounced.');
  });

  it('reads an identity notification (notificationType) as well as an event (eventType)', () => {
    const { eventType: _, ...rest } = bounceEvent({
      bounceType: 'Permanent',
      bounceSubType: 'NoEmail',
      bouncedRecipients: [{ emailAddress: 'ana@example.com' }],
    });
    expect(bouncesOf({ notificationType: 'Bounce', ...rest }).map((b) => b.email)).toEqual([
      'ana@example.com',
    ]);
  });

  it('reads a rejection as every recipient of the mail', () => {
    const event = {
      eventType: 'Reject',
      reject: { reason: 'Bad content' },
      mail: { ...mail, destination: ['ana@example.com', 'bo@example.com'] },
    };
    expect(bouncesOf(event)).toEqual([
      {
        email: 'ana@example.com',
        mailSentAt: SENT_AT,
        reason: 'Amazon SES refused to send it (Bad content).',
      },
      {
        email: 'bo@example.com',
        mailSentAt: SENT_AT,
        reason: 'Amazon SES refused to send it (Bad content).',
      },
    ]);
  });

  it('ignores what is not a bounce or rejection', () => {
    for (const eventType of ['Send', 'Delivery', 'Complaint', 'DeliveryDelay', 'Open']) {
      expect(bouncesOf({ eventType, mail, delivery: { recipients: ['ana@example.com'] } })).toEqual([]);
    }
  });

  it('skips malformed events and recipients instead of throwing', () => {
    const recipients = [{ emailAddress: 'ana@example.com' }];
    for (const malformed of [
      null,
      'Bounce',
      [],
      {},
      { eventType: 'Bounce', mail },
      { eventType: 'Bounce', bounce: { bouncedRecipients: recipients } },
      { eventType: 'Bounce', bounce: { bouncedRecipients: recipients }, mail: { timestamp: 'yesterday' } },
      { eventType: 'Bounce', bounce: { bouncedRecipients: 'ana@example.com' }, mail },
      { eventType: 'Reject', mail: { ...mail, destination: 'ana@example.com' } },
    ]) {
      expect(bouncesOf(malformed)).toEqual([]);
    }
    const mixed = bounceEvent({
      bounceType: 'Permanent',
      bouncedRecipients: [null, { emailAddress: 42 }, { emailAddress: 'not an address' }, ...recipients],
    });
    expect(bouncesOf(mixed).map((b) => b.email)).toEqual(['ana@example.com']);
  });

  it("keeps a remote server's diagnostic printable and bounded, and any address in one pass", () => {
    const long = `smtp; 550\r\n${'x'.repeat(100_000)}\u0000\u001b[31m`;
    const [bounce] = bouncesOf(
      bounceEvent({
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'ana@example.com', diagnosticCode: long }],
      }),
    );
    expect(
      bounce?.reason.startsWith('The address does not exist or does not accept email (smtp; 550 xxx'),
    ).toBe(true);
    expect(bounce?.reason.length).toBeLessThan(400);
    expect([...(bounce?.reason ?? '')].filter((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')).toEqual([]);
    // Not an address, however long (read with indexOf, never a pattern).
    expect(
      bouncesOf(
        bounceEvent({
          bounceType: 'Permanent',
          bouncedRecipients: [{ emailAddress: `${'<'.repeat(200_000)}a@b.com` }],
        }),
      ),
    ).toEqual([]);
  });
});

describe('sesMessagesOfSnsEvent', () => {
  it('unwraps each SNS record and skips those that are not JSON', () => {
    const event = {
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: { Type: 'Notification', Message: JSON.stringify({ eventType: 'Bounce' }) },
        },
        { EventSource: 'aws:sns', Sns: { Type: 'Notification', Message: 'not json' } },
        { EventSource: 'aws:sns', Sns: {} },
        null,
      ],
    };
    expect(sesMessagesOfSnsEvent(event)).toEqual([{ eventType: 'Bounce' }]);
    expect(sesMessagesOfSnsEvent({})).toEqual([]);
    expect(sesMessagesOfSnsEvent(undefined)).toEqual([]);
  });
});
