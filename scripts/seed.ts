// `npm run seed -- --members 50000`: fills the embedded pool (DATA_DIR, as `npm start` uses it) with
// team members of mixed access levels and statuses, through the AWS SDK, for trying and benchmarking
// the Access control page at scale. Members are numbered: a second run with the same or a larger
// --members creates only those missing.
//
//   npm run seed -- --members 50000 [--concurrency 16] [--sdk-passwords]
//
// Uses the embedded service already listening on COGNITO_LOCAL_PORT (`npm start`, `npm run
// cognito-local`), or starts one in this process on the same DATA_DIR.
import { parseArgs } from 'node:util';
import {
  AdminDisableUserCommand,
  type CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AccessLevel } from '@/lib/access-levels';
import { ConfigError } from '@/server/env';
import { loadLocalScriptEnv } from './script-env';

const DAY = 86_400_000;

type Status = 'active' | 'pending' | 'expired' | 'disabled';

interface Plan {
  index: number;
  email: string;
  level: AccessLevel | null;
  status: Status;
  /** The invitation email failed (pending and expired members only). */
  inviteFailed: boolean;
}

const FIRST = [
  'ana',
  'ben',
  'carla',
  'dev',
  'elena',
  'farid',
  'grace',
  'hiro',
  'ines',
  'jon',
  'kemal',
  'lena',
  'mo',
  'nora',
  'omar',
  'priya',
  'quinn',
  'rosa',
  'sam',
  'tariq',
  'uma',
  'vic',
  'wen',
  'xavi',
  'yara',
  'zoe',
];
const LAST = [
  'lopez',
  'chen',
  'smith',
  'okafor',
  'novak',
  'silva',
  'kim',
  'haddad',
  'muller',
  'rossi',
  'tanaka',
  'ivanova',
  'dubois',
  'khan',
  'berg',
  'costa',
];
const DOMAINS = ['example.com', 'example.org', 'studio.example.net'];

/** A fixed pseudo-random draw per member (mulberry32), so every run plans the same team. */
function draw(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** 5% Full access, 94% Manage only, 1% in no group; 60% active, 20% pending, 10% expired, 10% disabled. */
function plan(index: number): Plan {
  const first = FIRST[index % FIRST.length]!;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
  const domain = DOMAINS[index % DOMAINS.length]!;
  const l = draw(index * 3);
  const s = draw(index * 3 + 1);
  const status: Status = s < 0.6 ? 'active' : s < 0.8 ? 'pending' : s < 0.9 ? 'expired' : 'disabled';
  return {
    index,
    email: `${first}.${last}${index}@${domain}`,
    level: l < 0.05 ? 'full' : l < 0.99 ? 'manage' : null,
    status,
    inviteFailed: (status === 'pending' || status === 'expired') && draw(index * 3 + 2) < 0.05,
  };
}

function fail(error: unknown): never {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}

async function main() {
  const { values } = parseArgs({
    options: {
      members: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '16' },
      'sdk-passwords': { type: 'boolean', default: false },
    },
  });
  const total = Number(values.members);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(total) || total < 1 || total > 1_000_000)
    fail(new Error('--members must be 1-1000000'));
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    fail(new Error('--concurrency must be 1-256'));
  }

  const env = loadLocalScriptEnv(fail, 'the seed fills the embedded identity service only');

  const { muteSdkNodeVersionWarning, openStores, startIdentityBackend } = await import('@/server/runtime');
  const { createCognitoClient } = await import('@/server/cognito/client');
  const { discoverPool } = await import('@/server/cognito/resources');
  const { provision } = await import('@/server/cognito/provision');
  const { openDb } = await import('@/server/local-cognito/db');
  const { addToAccessGroup, createMemberWithoutInvitation, setPermanentPassword } = await import(
    '@/server/cognito/member-admin'
  );
  const { isIdentityError } = await import('@/server/cognito/errors');
  muteSdkNodeVersionWarning();

  const client = createCognitoClient(env);
  let closeBackend: (() => Promise<void>) | undefined;
  let poolId: string;
  if (await answers(client)) {
    poolId = (await discoverPool(client, env).catch(async () => provision(client, env))).poolId;
    console.log(`Using the embedded identity service at ${env.cognitoEndpoint} (DATA_DIR ${env.dataDir}).`);
  } else {
    const backend = await startIdentityBackend(env, () => {});
    closeBackend = () => backend.close();
    poolId = backend.pool.poolId;
    console.log(`Started the embedded identity service in this process (DATA_DIR ${env.dataDir}).`);
  }

  // Expired members are backdated in DATA_DIR's database: it must be the one the service uses.
  const db = openDb(env.dataDir);
  if (!db.prepare('SELECT 1 FROM user_pools WHERE id = ?').get(poolId)) {
    db.close();
    client.destroy();
    await closeBackend?.();
    fail(
      new ConfigError(
        'COGNITO_LOCAL_PORT',
        `the identity service on port ${env.cognitoLocalPort} keeps its data elsewhere than DATA_DIR ${env.dataDir}; seed with the same DATA_DIR, or stop that service`,
      ),
    );
  }
  const ctx = { client, poolId, now: Date.now };
  const opened = openStores(env);
  const stores = opened.members();
  const inviter = env.bootstrapAdminEmail ?? 'admin@example.com';
  // Two writes bypass the SDK, both in the service's own database. Cognito has no API that makes an
  // invitation older, so for "Expired" members the temporary password's issue and expiry dates are
  // moved back here; and, unless --sdk-passwords, active members share one password hash (see
  // `activate`). Rows are found by their primary key: the pool is case-insensitive, so the key is
  // the lower-cased username.
  const key = (username: string) => username.toLowerCase();
  const backdate = db.prepare(
    `UPDATE users SET created_at = created_at - ?, updated_at = updated_at - ?,
       temp_password_expires_at = temp_password_expires_at - ?
     WHERE pool_id = ? AND username_key = ?`,
  );
  const copyPassword = db.prepare(
    `UPDATE users SET status = 'CONFIRMED', password_hash = ?, temp_password_expires_at = NULL
     WHERE pool_id = ? AND username_key = ? AND status = 'FORCE_CHANGE_PASSWORD'`,
  );
  const hashOf = db.prepare<[string, string], { password_hash: string }>(
    'SELECT password_hash FROM users WHERE pool_id = ? AND username_key = ?',
  );
  let sharedHash: string | undefined;
  let activated = 0;
  const password = 'Seeded-Member-1!';

  /**
   * An active member has accepted their invitation: AdminSetUserPassword, Permanent. The service hashes
   * permanent passwords with scrypt (deliberately ~100 ms of CPU each), so 30,000 of them would take an
   * hour; by default the first few go through the SDK and the rest take the same password hash in the
   * service's database. --sdk-passwords sends every one through the SDK.
   */
  async function activate(username: string) {
    if (values['sdk-passwords'] || sharedHash === undefined || activated < 10) {
      await setPermanentPassword(ctx, username, password);
      activated++;
      sharedHash ??= hashOf.get(poolId, key(username))?.password_hash;
      return;
    }
    copyPassword.run(sharedHash, poolId, key(username));
  }

  let created = 0;
  let existing = 0;
  let next = 0;
  const started = performance.now();
  let reported = 0;
  const counts = {
    full: 0,
    manage: 0,
    none: 0,
    active: 0,
    pending: 0,
    expired: 0,
    disabled: 0,
    inviteFailed: 0,
  };

  async function seedOne(member: Plan) {
    let username: string;
    try {
      username = (await createMemberWithoutInvitation(ctx, member.email)).username;
    } catch (error) {
      if (isIdentityError(error) && error.source === 'UsernameExistsException') {
        existing++;
        return;
      }
      throw error;
    }
    if (member.status === 'active') await activate(username);
    if (member.level) await addToAccessGroup(ctx, username, member.level);
    if (member.status === 'disabled') {
      await client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    }
    if (member.status === 'expired') {
      // Issued 8-30 days ago: past the 7-day validity.
      const age = (8 + Math.floor(draw(member.index * 7) * 22)) * DAY;
      backdate.run(age, age, age, poolId, key(username));
    }
    if (member.status === 'pending' || member.status === 'expired') {
      await stores.invites.recordInvitation({
        email: member.email,
        username,
        invitedBy: inviter,
        accessLevel: member.level ?? 'manage',
        delivery: member.inviteFailed ? 'failed' : 'sent',
        deliveryError: member.inviteFailed ? 'Unable to deliver the message to the user.' : null,
        at: Date.now() - (member.status === 'expired' ? 8 * DAY : 0),
      });
    }
    created++;
    counts[member.level ?? 'none']++;
    counts[member.status]++;
    if (member.inviteFailed) counts.inviteFailed++;
  }

  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          await seedOne(plan(next++));
          const done = created + existing;
          if (done - reported >= Math.max(1000, total / 20)) {
            reported = done;
            const seconds = (performance.now() - started) / 1000;
            console.log(`  ${done}/${total} (${Math.round(done / seconds)}/s)`);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `Seeded ${created} new members in ${seconds.toFixed(1)} s (${existing} were there already).\n` +
        `  new: ${counts.full} Full access, ${counts.manage} Manage only, ${counts.none} with no access level;\n` +
        `       ${counts.active} active, ${counts.pending} pending, ${counts.expired} expired, ${counts.disabled} disabled; ${counts.inviteFailed} "Invite email failed"\n` +
        `  emails look like ${plan(0).email}, ${plan(1).email}: try the prefixes "ana." or "grace.kim".`,
    );
  } finally {
    db.close();
    opened.close();
    client.destroy();
    await closeBackend?.();
  }
}

/** Whether an identity service answers at the configured endpoint. */
async function answers(client: CognitoIdentityProviderClient): Promise<boolean> {
  try {
    await client.send(new ListUserPoolsCommand({ MaxResults: 1 }), {
      abortSignal: AbortSignal.timeout(2_000),
    });
    return true;
  } catch {
    return false;
  }
}

main().catch(fail);
