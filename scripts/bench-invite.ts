// How long /invite takes to refuse a wrong temporary password, for the three kinds of address it
// must not tell apart: a stranger, an invitee, a member who already joined. The code path of the
// /invite action below the browser (ListUsers look-up, one AdminInitiateAuth password check over
// loopback with the AWS SDK), against the embedded identity service in a fresh temporary DATA_DIR.
//
//   npm run bench:invite -- [--runs 30]
//
// The kinds take turns, so a busy machine slows each alike. Every invitee gets at most three wrong
// passwords (under any lockout), and every attempt gets fresh per-process limits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCognitoClient } from '@/server/cognito/client';
import {
  addToAccessGroup,
  createMemberWithoutInvitation,
  setPermanentPassword,
} from '@/server/cognito/member-admin';
import { defaultRetryPolicy } from '@/server/cognito/throttle';
import { loadEnv } from '@/server/env';
import { startIdentityBackend } from '@/server/runtime';
import { acceptInvitation, createSignInLimits, type SignInContext, SignInError } from '@/server/sign-in';
import { freePort } from './free-port';

type Kind = 'stranger' | 'invitee' | 'member';
const KINDS: Kind[] = ['stranger', 'invitee', 'member'];

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-invite-'));
  const env = loadEnv({
    DATA_DIR: dataDir,
    PORT: '3999',
    COGNITO_LOCAL_PORT: String(await freePort()),
    PUBLIC_URL: 'http://localhost:3999',
    IDENTITY_BACKEND: 'local',
    BOOTSTRAP_ADMIN_EMAIL: 'bench-admin@example.com',
  });
  const backend = await startIdentityBackend(env, () => {});
  const client = createCognitoClient(env);
  if (!backend.challenges) throw new Error('local mode has a challenge store');
  const ctx: SignInContext = {
    client,
    poolId: backend.pool.poolId,
    clientId: backend.pool.clientId,
    challenges: backend.challenges,
    now: Date.now,
    retry: defaultRetryPolicy,
    limits: createSignInLimits(),
    failures: { record: () => {} },
  };

  try {
    const invitees = Math.ceil((runs + 1) / 3);
    for (let i = 0; i < invitees; i++) await addInvitee(ctx, `invitee-${i}@example.com`);
    const members = Array.from({ length: 5 }, (_, i) => `member-${i}@example.com`);
    for (const email of members) await addMember(ctx, email);
    const address = (kind: Kind, run: number) =>
      kind === 'stranger'
        ? `stranger-${run}@example.com`
        : kind === 'invitee'
          ? `invitee-${Math.floor(run / 3)}@example.com`
          : members[run % members.length]!;

    const timings: Record<Kind, number[]> = { stranger: [], invitee: [], member: [] };
    // One untimed round warms connections, prepared statements and the JIT.
    for (const kind of KINDS) await attempt(ctx, address(kind, runs));
    for (let run = 0; run < runs; run++) {
      for (const kind of KINDS) timings[kind].push(await attempt(ctx, address(kind, run)));
    }

    const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(9);
    console.log(
      `/invite, wrong temporary password, ${runs} runs per kind (${os.cpus().length} CPUs, Node ${process.version}):`,
    );
    for (const kind of KINDS) {
      const sorted = [...timings[kind]].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      console.log(
        `  ${kind.padEnd(9)} p50 ${fmt(at(0.5))}   p90 ${fmt(at(0.9))}   max ${fmt(sorted.at(-1)!)}`,
      );
    }
  } finally {
    client.destroy();
    await backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Milliseconds until a wrong temporary password for `email` is refused. */
async function attempt(ctx: SignInContext, email: string): Promise<number> {
  ctx.limits = createSignInLimits();
  const started = performance.now();
  try {
    await acceptInvitation({ email, temporaryPassword: 'Not-the-password-1!', client: null }, ctx);
  } catch (error) {
    if (!(error instanceof SignInError) || error.code !== 'incorrect_credentials') throw error;
    return performance.now() - started;
  }
  throw new Error(`a wrong temporary password signed ${email} in`);
}

async function addInvitee(ctx: SignInContext, email: string) {
  await createMemberWithoutInvitation(ctx, email);
  await addToAccessGroup(ctx, email, 'manage');
}

async function addMember(ctx: SignInContext, email: string) {
  await addInvitee(ctx, email);
  await setPermanentPassword(ctx, email, 'Bench-Pass-1!');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
