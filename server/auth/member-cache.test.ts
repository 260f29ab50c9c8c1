import { beforeEach, describe, expect, it } from 'vitest';
import type { MemberAccess } from '@/server/cognito/auth';
import { cachedMemberAccess, dropMemberAccessCache, MEMBER_CACHE_TTL_MS } from './member-cache';

const T0 = 1_000_000;
const access = (accessLevel: MemberAccess['accessLevel']): MemberAccess => ({
  username: 'u',
  sub: 's',
  email: 'u@example.com',
  enabled: true,
  accessLevel,
});

let calls: number;
let level: MemberAccess['accessLevel'];
const load = async () => {
  calls++;
  return access(level);
};

beforeEach(() => {
  dropMemberAccessCache();
  calls = 0;
  level = 'full';
});

describe('member access cache', () => {
  it('answers from the cache for under 5 seconds, then asks again', async () => {
    expect(await cachedMemberAccess('u', load, T0)).toMatchObject({ accessLevel: 'full' });
    level = 'manage';
    expect(await cachedMemberAccess('u', load, T0 + MEMBER_CACHE_TTL_MS - 1)).toMatchObject({
      accessLevel: 'full',
    });
    expect(calls).toBe(1);
    expect(await cachedMemberAccess('u', load, T0 + MEMBER_CACHE_TTL_MS)).toMatchObject({
      accessLevel: 'manage',
    });
    expect(calls).toBe(2);
  });

  it('forgets everything on a write', async () => {
    await cachedMemberAccess('u', load, T0);
    level = 'manage';
    dropMemberAccessCache();
    expect(await cachedMemberAccess('u', load, T0 + 1)).toMatchObject({ accessLevel: 'manage' });
  });

  it('does not keep an answer read while a write happened', async () => {
    let release: (value: MemberAccess) => void = () => {};
    const slow = () =>
      new Promise<MemberAccess>((resolve) => {
        calls++;
        release = resolve;
      });
    const inFlight = cachedMemberAccess('u', slow, T0);
    dropMemberAccessCache();
    release(access('full'));
    await inFlight;
    level = 'manage';
    expect(await cachedMemberAccess('u', load, T0 + 1)).toMatchObject({ accessLevel: 'manage' });
  });

  it('does not keep failures', async () => {
    const failing = async () => {
      calls++;
      throw new Error('unavailable');
    };
    await expect(cachedMemberAccess('u', failing, T0)).rejects.toThrow('unavailable');
    expect(await cachedMemberAccess('u', load, T0 + 1)).toMatchObject({ accessLevel: 'full' });
  });

  it('shares one request among concurrent callers', async () => {
    await Promise.all([cachedMemberAccess('u', load, T0), cachedMemberAccess('u', load, T0)]);
    expect(calls).toBe(1);
  });
});
