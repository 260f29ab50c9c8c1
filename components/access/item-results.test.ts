import { describe, expect, it } from 'vitest';
import type { ItemResult } from '@/lib/action-state';
import type { MemberRow } from '@/lib/members';
import { isProblem, summarize } from './item-results';
import { memberStatusView } from './member-status';

const result = (email: string, outcome: ItemResult['outcome']): ItemResult => ({
  key: email,
  email,
  outcome,
  message: '',
});

describe('summarize', () => {
  it('counts each outcome once, in a fixed order, with plurals', () => {
    const results = [
      result('a@x.com', 'invalid'),
      result('b@x.com', 'invited'),
      result('c@x.com', 'already-member'),
      result('d@x.com', 'invited'),
      result('e', 'invalid'),
    ];
    expect(summarize(results)).toBe('2 invited, 1 already a member, 2 invalid addresses');
    expect(summarize([result('a@x.com', 'resent')])).toBe('1 invite resent');
    expect(summarize([])).toBe('');
  });

  it('treats invalid, failed and refused as problems', () => {
    const outcomes: ItemResult['outcome'][] = [
      'invited',
      'already-member',
      'invalid',
      'failed',
      'refused',
      'deleted',
    ];
    expect(outcomes.filter((outcome) => isProblem(result('a', outcome)))).toEqual([
      'invalid',
      'failed',
      'refused',
    ]);
  });
});

describe('memberStatusView', () => {
  const member = (overrides: Partial<MemberRow>): MemberRow => ({
    username: 'u',
    email: 'u@example.com',
    accessLevel: 'manage',
    status: 'pending',
    enabled: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    inviteEmail: 'sent',
    inviteEmailError: null,
    invitedBy: null,
    lastChangedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });

  it('offers "Resend invite" to invitations not accepted, whatever happened to their email', () => {
    expect(memberStatusView(member({ status: 'pending' }))).toMatchObject({
      label: 'Pending',
      resendable: true,
    });
    expect(memberStatusView(member({ status: 'expired' }))).toMatchObject({
      label: 'Expired',
      resendable: true,
    });
    expect(memberStatusView(member({ inviteEmail: 'failed' }))).toMatchObject({
      label: 'Invite email failed',
      tone: 'error',
      resendable: true,
    });
    expect(memberStatusView(member({ status: 'active', inviteEmail: 'failed' }))).toMatchObject({
      label: 'Active',
      resendable: false,
    });
    expect(memberStatusView(member({ status: 'disabled', enabled: false }))).toMatchObject({
      label: 'Disabled',
      resendable: false,
    });
  });

  it('says why the invitation email failed while it counts as failed, and nothing otherwise', () => {
    const reason = 'The mailbox is full (smtp; 552 5.2.2 mailbox full).';
    expect(memberStatusView(member({ inviteEmail: 'failed', inviteEmailError: reason })).detail).toBe(reason);
    expect(
      memberStatusView(member({ status: 'active', inviteEmail: 'failed', inviteEmailError: reason })).detail,
    ).toBeNull();
    expect(memberStatusView(member({ inviteEmail: 'failed', inviteEmailError: null })).detail).toBeNull();
    expect(memberStatusView(member({})).detail).toBeNull();
  });

  it('offers "Fix" only to a member in no access group', () => {
    expect(memberStatusView(member({ accessLevel: null })).fixable).toBe(true);
    expect(memberStatusView(member({ accessLevel: 'full' })).fixable).toBe(false);
  });
});
