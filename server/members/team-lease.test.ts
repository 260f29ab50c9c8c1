import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeFromAccessGroup } from '@/server/cognito/member-admin';
import { changeAccessLevel } from './service';
import { TeamBusyError, type TeamLease, teamLockName, withTeamLease } from './team-lease';
import { openSqliteTeamLock, type SqliteTeamLock } from './team-lock-sqlite';
import { addMember, groupsOf, type MembersFixture, startMembersFixture } from './test-fixture';

// The team lease around the last-admin read-check-write: what keeps two console instances from each
// seeing "another Full-access member remains" and together demoting both.

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'team-lease-test-'));
const locks: SqliteTeamLock[] = [];
/** A second console instance's lock: its own connection to the same store. */
function instanceLock(): SqliteTeamLock {
  const lock = openSqliteTeamLock(dataDir);
  locks.push(lock);
  return lock;
}

let fx: MembersFixture;
beforeAll(async () => {
  fx = await startMembersFixture();
});
afterAll(async () => {
  for (const lock of locks) lock.close();
  await fx?.close();
});

function lease(lock: SqliteTeamLock, sleep: TeamLease['sleep'], now = Date.now): TeamLease {
  return { lock, ttlMs: 10_000, maxWaitMs: 15_000, now, sleep };
}

describe('withTeamLease', () => {
  it('runs one holder at a time across instances: the second waits until the first releases', async () => {
    const order: string[] = [];
    let finishFirst!: () => void;
    const firstMayFinish = new Promise<void>((resolve) => {
      finishFirst = resolve;
    });
    let secondRefused!: () => void;
    const secondWasRefused = new Promise<void>((resolve) => {
      secondRefused = resolve;
    });

    const first = withTeamLease(
      lease(instanceLock(), async () => {}),
      'team#one',
      async () => {
        order.push('first starts');
        await firstMayFinish;
        order.push('first ends');
      },
    );
    await expect.poll(() => order).toEqual(['first starts']);
    const second = withTeamLease(
      lease(instanceLock(), async () => {
        // Refused while the first holds the lease: let the first finish, then try again.
        secondRefused();
        await first;
      }),
      'team#one',
      async () => {
        order.push('second runs');
      },
    );
    await secondWasRefused;
    expect(order).toEqual(['first starts']);
    finishFirst();
    await second;
    expect(order).toEqual(['first starts', 'first ends', 'second runs']);
  });

  it('releases the lease when the task fails, and gives up with TeamBusyError when it stays taken', async () => {
    const lock = instanceLock();
    await expect(
      withTeamLease(
        lease(lock, async () => {}),
        'team#two',
        async () => {
          throw new Error('Cognito said no');
        },
      ),
    ).rejects.toThrow('Cognito said no');
    expect(
      await instanceLock().acquire({ name: 'team#two', owner: 'other', now: Date.now(), ttlMs: 60_000 }),
    ).toMatchObject({ acquired: true });

    // 'other' keeps the lease; a clock the waits move forward runs out the 15 s wait.
    let clock = Date.now();
    let ran = false;
    await expect(
      withTeamLease(
        lease(
          lock,
          async (ms) => {
            clock += ms;
          },
          () => clock,
        ),
        'team#two',
        async () => {
          ran = true;
        },
      ),
    ).rejects.toBeInstanceOf(TeamBusyError);
    expect(ran).toBe(false);
  });
});

describe('the last-admin guard across instances', () => {
  it('re-reads under the lease: a demotion another instance finished first leaves this one refused', async () => {
    const pool = await fx.newPool();
    const other = await addMember(fx.client, pool.poolId, 'other-admin@example.com', {
      level: 'full',
      active: true,
    });
    const cognito = pool.context.cognito;
    const name = teamLockName(pool.poolId);

    // Instance B holds the team lease while it demotes `other` (its check saw the admin remain).
    const instanceB = instanceLock();
    expect(
      await instanceB.acquire({ name, owner: 'instance-b', now: Date.now(), ttlMs: 10_000 }),
    ).toMatchObject({
      acquired: true,
    });
    let waited = 0;
    const teamLease = lease(instanceLock(), async () => {
      waited++;
      if (waited === 1) {
        // B's write lands and B releases while A waits for the lease.
        await removeFromAccessGroup(cognito, other, 'full');
        await instanceB.release({ name, owner: 'instance-b' });
      }
    });

    // Instance A, meanwhile, demotes the admin: it must wait, then see it is the last Full access.
    const result = await changeAccessLevel(pool.admin, [pool.admin.username], 'manage', {
      ...pool.context,
      teamLease,
    });
    expect(waited).toBeGreaterThan(0);
    expect(result).toEqual([
      expect.objectContaining({
        outcome: 'refused',
        message: "You can't demote the last Full access member.",
      }),
    ]);
    expect(await groupsOf(fx.client, pool.poolId, pool.admin.username)).toEqual(['Full-access']);
  });
});
