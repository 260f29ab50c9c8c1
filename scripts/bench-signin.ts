// Latency from "send link" to the email landing in the outbox: the code path of the /login action
// (ListUsers look-up, AdminInitiateAuth + AdminRespondToAuthChallenge over loopback with the AWS SDK,
// the four triggers, the SQLite challenge store, the outbox mailer), in a fresh temporary DATA_DIR.
//
//   npm run bench:signin -- [--runs 20]
//
// Each run uses its own member (a member gets one link a minute) and waits for that member's message
// file to appear in DATA_DIR/outbox.
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
import { outboxDir } from '@/server/mail';
import { startIdentityBackend } from '@/server/runtime';
import { createSignInLimits, requestSignInLink, type SignInContext } from '@/server/sign-in';
import { freePort } from './free-port';

async function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-signin-'));
  const env = loadEnv({
    DATA_DIR: dataDir,
    PORT: '3999',
    COGNITO_LOCAL_PORT: String(await freePort()),
    PUBLIC_URL: 'http://localhost:3999',
    IDENTITY_BACKEND: 'local',
    BOOTSTRAP_ADMIN_EMAIL: 'bench-admin@example.com',
  });
  const quiet = () => {};
  const backend = await startIdentityBackend(env, quiet);
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
  const outbox = outboxDir(dataDir);

  try {
    const emails = Array.from({ length: runs + 1 }, (_, i) => `bench-${i}@example.com`);
    for (const email of emails) await addMember(ctx, email);

    // One untimed run warms connections, prepared statements and the JIT.
    await sendAndWait(ctx, outbox, emails[0]!);
    const latencies: number[] = [];
    for (const email of emails.slice(1)) latencies.push(await sendAndWait(ctx, outbox, email));

    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `"send link" → email in outbox, ${runs} runs (${os.cpus().length} CPUs, Node ${process.version}):`,
    );
    console.log(
      `  p50 ${fmt(at(0.5))}   p90 ${fmt(at(0.9))}   min ${fmt(latencies[0]!)}   max ${fmt(latencies.at(-1)!)}`,
    );
  } finally {
    client.destroy();
    await backend.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function addMember(ctx: SignInContext, email: string) {
  await createMemberWithoutInvitation(ctx, email);
  await setPermanentPassword(ctx, email, 'Bench-Pass-1!');
  await addToAccessGroup(ctx, email, 'manage');
}

/** Milliseconds from the request to the member's message file existing in the outbox. */
async function sendAndWait(ctx: SignInContext, outbox: string, email: string): Promise<number> {
  const before = new Set(listOutbox(outbox));
  const started = performance.now();
  const request = requestSignInLink(email, ctx);
  for (;;) {
    const arrived = listOutbox(outbox).find(
      (name) =>
        !before.has(name) && fs.readFileSync(path.join(outbox, name), 'utf8').includes(`"to": "${email}"`),
    );
    if (arrived) {
      const elapsed = performance.now() - started;
      await request;
      return elapsed;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function listOutbox(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((name) => name.endsWith('.json') && !name.startsWith('.'));
  } catch {
    return [];
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
