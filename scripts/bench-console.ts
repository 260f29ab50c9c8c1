// Server time, Cognito calls and page weight of /settings/access at 20, 500 and 50,000 members.
//
//   npm run bench:console -- [--members 20,500,50000] [--runs 30] [--data-dir .data-bench] [--port 3200]
//   npm run bench:console -- --aws [--members 20,500] [--cognito-latency 50] [--port 4600]
//
// For each team size: seeds a pool once (npm run seed, into its own DATA_DIR: `.data-bench` for
// 50,000, `.data-bench-<n>` for the others; kept for later runs), starts the console against it as
// `npm start` does (production build), signs in with an operator link in a headless Chromium, then
// times `runs` requests of four page views with the session cookie, each to the end of the response
// body (the first page, an email-prefix search and two filtered pages), with the Cognito calls each
// request made (the console's call counter, GET /dev/cognito-calls). Then it sums the gzip size of
// the JavaScript and CSS that page's HTML references.
//
// With --aws, the same views on a console in AWS mode on local engines (`npm run aws:local`, one
// instance: DynamoDB on dynalite, the embedded identity service as Cognito, optionally answering
// --cognito-latency ms late as a Cognito region away would), seeded through the identity service's
// API into `<data-dir>-aws-<n>`. AWS mode serves no /dev/cognito-calls: its calls per view are the
// local mode's (the same SDK client and the same code).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const root = path.resolve(__dirname, '..');
const TARGET_P50_MS = 150;
const TARGET_JS_KB = 250;
const ADMIN_EMAIL = 'bench-admin@example.com';
/** The team size whose pool lives in --data-dir itself; the others get `<data-dir>-<n>`. */
const LARGEST = 50_000;

const VIEWS: Array<[string, string]> = [
  ['first page', '/settings/access'],
  ['prefix search', '/settings/access?q=grace.kim'],
  ['filtered (Manage only)', '/settings/access?level=manage'],
  ['filtered (Pending)', '/settings/access?status=pending'],
];

interface SizeResult {
  members: number;
  views: Array<{ name: string; p50: number; p95: number; calls: string }>;
}

async function main() {
  const { values } = parseArgs({
    options: {
      members: { type: 'string', default: '20,500,50000' },
      runs: { type: 'string', default: '30' },
      'data-dir': { type: 'string', default: '.data-bench' },
      port: { type: 'string' },
      'cognito-port': { type: 'string', default: '9429' },
      aws: { type: 'boolean', default: false },
      'cognito-latency': { type: 'string', default: '0' },
    },
  });
  const aws = values.aws ?? false;
  const latency = Number(values['cognito-latency']);
  if (!Number.isInteger(latency) || latency < 0 || latency > 5000) {
    throw new Error('--cognito-latency must be 0-5000 (ms)');
  }
  const sizes = (values.members ?? '').split(',').map((n) => positive(n.trim(), '--members'));
  const runs = positive(values.runs, '--runs');
  const baseDir = path.resolve(root, values['data-dir']);
  const port = positive(values.port ?? (aws ? '4600' : '3200'), '--port');
  const cognitoPort = positive(values['cognito-port'], '--cognito-port');

  const results: SizeResult[] = [];
  for (const [i, members] of sizes.entries()) {
    if (aws) {
      results.push(await benchAwsSize(members, `${baseDir}-aws-${members}`, port, latency, runs));
      continue;
    }
    const dataDir = members === LARGEST ? baseDir : `${baseDir}-${members}`;
    results.push(await benchSize(members, dataDir, port, cognitoPort, runs, i === sizes.length - 1));
  }

  if (aws) {
    console.log(
      `\nSummary: /settings/access in AWS mode on local engines (Cognito latency ${latency} ms), p50 / p95 to the last byte:`,
    );
    for (const { members, views } of results) {
      console.log(`  ${members.toLocaleString('en')} members`);
      for (const view of views)
        console.log(`    ${view.name.padEnd(24)} ${fmt(view.p50)} / ${fmt(view.p95)}`);
    }
    return;
  }
  console.log(
    '\nSummary: /settings/access, p50 / p95 to the last byte, Cognito calls per view (range over the runs; ' +
      "the data access layer's re-check of the signed-in member adds AdminGetUser and AdminListGroupsForUser " +
      'on some requests, at most every 5 s):',
  );
  for (const { members, views } of results) {
    console.log(`  ${members.toLocaleString('en')} members`);
    for (const view of views) {
      console.log(`    ${view.name.padEnd(24)} ${fmt(view.p50)} / ${fmt(view.p95)}   calls ${view.calls}`);
    }
  }
}

async function benchSize(
  members: number,
  dataDir: string,
  port: number,
  cognitoPort: number,
  runs: number,
  measureWeight: boolean,
): Promise<SizeResult> {
  const origin = `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    COGNITO_LOCAL_PORT: String(cognitoPort),
    PUBLIC_URL: origin,
    IDENTITY_BACKEND: 'local',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    SMTP_URL: '',
    NODE_ENV: 'production',
    // GET /dev/cognito-calls: what each view costs in Cognito calls.
    COGNITO_CALL_STATS: '1',
  };

  const marker = path.join(dataDir, `.bench-seeded-${members}`);
  if (!fs.existsSync(marker)) {
    console.log(`Seeding ${members} members into ${path.relative(root, dataDir)} (once) ...`);
    await run('npm', ['run', '--silent', 'seed', '--', '--members', String(members)], env);
    fs.writeFileSync(marker, new Date().toISOString());
  }

  if (await answers(`${origin}/api/health`)) {
    throw new Error(`something already answers on ${origin}; stop it or pass --port`);
  }
  console.log(`Starting the console (production build) on ${path.relative(root, dataDir)} ...`);
  // Its own process group (npm → tsx → node): stopping the group stops all three.
  const consoleProcess = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const log: string[] = [];
  consoleProcess.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  consoleProcess.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  try {
    await waitForHealth(origin, consoleProcess, log);
    const cookie = await signIn(origin, env);

    console.log(
      `\n/settings/access with ${members.toLocaleString('en')} members, ${runs} runs each (${os.cpus().length} CPUs, Node ${process.version}):`,
    );
    const result: SizeResult = { members, views: [] };
    let firstP50 = Number.POSITIVE_INFINITY;
    const callLines: string[] = [];
    for (const [name, url] of VIEWS) {
      const { times, calls } = await timeRequests(origin, origin + url, cookie, runs);
      const line = `  ${name.padEnd(24)} p50 ${fmt(at(times, 0.5))}  p95 ${fmt(at(times, 0.95))}  min ${fmt(times[0]!)}  max ${fmt(times.at(-1)!)}`;
      console.log(line);
      callLines.push(`  ${name.padEnd(24)} ${describeCalls(calls)}`);
      result.views.push({ name, p50: at(times, 0.5), p95: at(times, 0.95), calls: describeCalls(calls) });
      if (name === 'first page') firstP50 = at(times, 0.5);
    }
    // The data access layer re-checks the signed-in member at most every 5 s: AdminGetUser and
    // AdminListGroupsForUser appear on some requests only.
    console.log('\nCognito calls per view (every attempt; range over the runs):');
    for (const line of callLines) console.log(line);
    console.log(
      `First page p50 ${fmt(firstP50)}: target ≤ ${TARGET_P50_MS} ms ${firstP50 <= TARGET_P50_MS ? 'met' : 'MISSED'}`,
    );
    if (measureWeight) await printWeight(origin, cookie);
    return result;
  } finally {
    await stop(consoleProcess);
  }
}

/**
 * One team size in AWS mode: aws:local with one console instance, seeded once through the identity
 * service's API (npm run seed against aws:local's pool), signed in with the link aws:local prints.
 */
async function benchAwsSize(
  members: number,
  dataDir: string,
  portBase: number,
  latency: number,
  runs: number,
): Promise<SizeResult> {
  const origin = `http://localhost:${portBase}`;
  if (await answers(`${origin}/api/health`)) {
    throw new Error(`something already answers on ${origin}; stop it or pass --port`);
  }
  console.log(
    `Starting aws:local (one instance, Cognito latency ${latency} ms) on ${path.relative(root, dataDir)} ...`,
  );
  const awsLocal = spawn(
    'npm',
    [
      'run',
      '--silent',
      'aws:local',
      '--',
      '--instances',
      '1',
      '--port-base',
      String(portBase),
      '--data-dir',
      dataDir,
      '--cognito-latency',
      String(latency),
    ],
    { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const log: string[] = [];
  const link = new Promise<string>((resolve, reject) => {
    awsLocal.stdout?.on('data', (chunk: Buffer) => {
      log.push(chunk.toString());
      const found = /sign-in link for \S+: (\S+)/.exec(log.join(''))?.[1];
      if (found) resolve(found);
    });
    awsLocal.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    awsLocal.once('exit', (code) => reject(new Error(`aws:local exited (${code}):\n${log.join('')}`)));
  });
  try {
    const adminLink = await link;
    const marker = path.join(dataDir, `.bench-seeded-${members}`);
    if (!fs.existsSync(marker)) {
      console.log(`Seeding ${members} members into aws:local's pool (once) ...`);
      // aws:local's identity service keeps its pool in <data-dir>/identity, as APP_ID awslocal.
      await run('npm', ['run', '--silent', 'seed', '--', '--members', String(members)], {
        ...process.env,
        DATA_DIR: path.join(dataDir, 'identity'),
        COGNITO_LOCAL_PORT: String(portBase + 12),
        PORT: String(portBase),
        APP_ID: 'awslocal',
        SHORT_CODE: 'awslocal',
        BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
        NODE_ENV: 'production',
      });
      fs.writeFileSync(marker, new Date().toISOString());
    }
    const cookie = await signInWith(adminLink, origin);
    console.log(
      `\n/settings/access in AWS mode with ${members.toLocaleString('en')} members, ${runs} runs each (${os.cpus().length} CPUs, Node ${process.version}):`,
    );
    const result: SizeResult = { members, views: [] };
    for (const [name, url] of VIEWS) {
      const { times } = await timeRequests(origin, origin + url, cookie, runs, false);
      console.log(
        `  ${name.padEnd(24)} p50 ${fmt(at(times, 0.5))}  p95 ${fmt(at(times, 0.95))}  min ${fmt(times[0]!)}  max ${fmt(times.at(-1)!)}`,
      );
      result.views.push({ name, p50: at(times, 0.5), p95: at(times, 0.95), calls: '' });
    }
    return result;
  } finally {
    await stop(awsLocal);
  }
}

async function printWeight(origin: string, cookie: string): Promise<void> {
  const weight = await pageWeight(origin, cookie);
  console.log('\nWhat /settings/access ships (gzip):');
  const legacy = weight.scripts.filter((asset) => asset.legacy);
  console.log(
    `  JavaScript ${kb(weight.js)} in ${weight.scripts.length} files; ${kb(weight.modernJs)} without the ` +
      `${legacy.length} nomodule polyfill file(s) current browsers skip`,
  );
  console.log(`  CSS        ${kb(weight.css)} in ${weight.styles.length} files`);
  for (const asset of [...weight.scripts, ...weight.styles].sort((a, b) => b.gzip - a.gzip)) {
    console.log(`    ${kb(asset.gzip).padStart(9)}  ${asset.url}${asset.legacy ? '  (nomodule)' : ''}`);
  }
  console.log(
    `Target: page JS ≤ ${TARGET_JS_KB} KB gzip (${kb(weight.js)} counting everything referenced: ${weight.js / 1024 <= TARGET_JS_KB ? 'met' : 'MISSED'})`,
  );
}

/** A session cookie for the bootstrap admin: operator link, opened and spent in a headless browser. */
async function signIn(origin: string, env: NodeJS.ProcessEnv): Promise<string> {
  const output = await run('npm', ['run', '--silent', 'signin-link', '--', ADMIN_EMAIL], env, {
    capture: true,
  });
  const link = /https?:\/\/\S+\/auth\/link#\S+/.exec(output)?.[0];
  if (!link) throw new Error(`no sign-in link in:\n${output}`);
  return signInWith(link, origin);
}

/** Opens a one-time link in a headless Chromium, signs in, and returns the session cookie. */
async function signInWith(link: string, origin: string): Promise<string> {
  const systemChromium = '/usr/bin/chromium';
  const browser = await chromium.launch({
    ...(fs.existsSync(systemChromium) ? { executablePath: systemChromium } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(`${origin}/settings/access`);
    const cookies = await page.context().cookies(origin);
    const session = cookies.find((c) => c.name.endsWith('studio-session'));
    if (!session) throw new Error('signed in, but no session cookie was set');
    return `${session.name}=${session.value}`;
  } finally {
    await browser.close();
  }
}

type CallCounts = Record<string, number>;

interface ViewTimes {
  /** Milliseconds from sending each request to the last byte of its body, sorted. */
  times: number[];
  /** Cognito calls each request made (every attempt, retries included), in request order. */
  calls: CallCounts[];
}

/**
 * `runs` timed requests after 3 warm-ups; with `countCalls`, the console's Cognito call counts are read
 * around each (local mode only: AWS mode serves no /dev/cognito-calls).
 */
async function timeRequests(
  origin: string,
  url: string,
  cookie: string,
  runs: number,
  countCalls = true,
): Promise<ViewTimes> {
  const once = async () => {
    const before = countCalls ? await cognitoCalls(origin) : {};
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    const after = countCalls ? await cognitoCalls(origin) : {};
    const calls = Object.fromEntries(
      Object.entries(after)
        .map(([operation, n]): [string, number] => [operation, n - (before[operation] ?? 0)])
        .filter(([, n]) => n > 0),
    );
    return { elapsed, calls };
  };
  for (let i = 0; i < 3; i++) await once();
  const measured: Array<{ elapsed: number; calls: CallCounts }> = [];
  for (let i = 0; i < runs; i++) measured.push(await once());
  return {
    times: measured.map((m) => m.elapsed).sort((a, b) => a - b),
    calls: measured.map((m) => m.calls),
  };
}

/** The console's Cognito calls per operation since it started (GET /dev/cognito-calls). */
async function cognitoCalls(origin: string): Promise<CallCounts> {
  const response = await fetch(`${origin}/dev/cognito-calls`);
  if (response.status !== 200) throw new Error(`/dev/cognito-calls answered ${response.status}`);
  return ((await response.json()) as { calls: CallCounts }).calls;
}

/** "26-28 (AdminListGroupsForUser 25, ListUsers 1, AdminGetUser 0-1, …)": per view, over the runs. */
function describeCalls(calls: CallCounts[]): string {
  const range = (values: number[]) => {
    const low = Math.min(...values);
    const high = Math.max(...values);
    return low === high ? String(low) : `${low}-${high}`;
  };
  const totals = calls.map((c) => Object.values(c).reduce((sum, n) => sum + n, 0));
  const operations = [...new Set(calls.flatMap((c) => Object.keys(c)))].sort();
  const each = operations.map((operation) => `${operation} ${range(calls.map((c) => c[operation] ?? 0))}`);
  return `${range(totals)}${each.length > 0 ? ` (${each.join(', ')})` : ''}`;
}

interface Asset {
  url: string;
  gzip: number;
  /** A `nomodule` script: legacy polyfills that current browsers neither download nor run. */
  legacy: boolean;
}

/** The scripts and stylesheets the page's HTML references, each gzip-compressed as a server would. */
async function pageWeight(origin: string, cookie: string) {
  const html = await (await fetch(`${origin}/settings/access`, { headers: { cookie } })).text();
  const scriptUrls = new Map<string, boolean>();
  const styleUrls = new Set<string>();
  for (const match of html.matchAll(/<script[^>]*\ssrc="([^"]+)"[^>]*>/g)) {
    scriptUrls.set(match[1]!, /\snomodule/i.test(match[0]));
  }
  for (const match of html.matchAll(/<link[^>]*>/g)) {
    const tag = match[0];
    const href = /\shref="([^"]+)"/.exec(tag)?.[1];
    if (!href) continue;
    if (/rel="stylesheet"/.test(tag) || (/rel="preload"/.test(tag) && /as="style"/.test(tag)))
      styleUrls.add(href);
    else if (/rel="(modulepreload|preload)"/.test(tag) && /as="script"|modulepreload/.test(tag)) {
      if (!scriptUrls.has(href)) scriptUrls.set(href, false);
    }
  }
  const measure = async (urls: Array<[string, boolean]>): Promise<Asset[]> =>
    Promise.all(
      urls.map(async ([url, legacy]) => {
        const body = Buffer.from(
          await (await fetch(new URL(url.replace(/&amp;/g, '&'), origin))).arrayBuffer(),
        );
        return { url, gzip: gzipSync(body).length, legacy };
      }),
    );
  const scripts = await measure([...scriptUrls]);
  const styles = await measure([...styleUrls].map((url): [string, boolean] => [url, false]));
  const sum = (assets: Asset[]) => assets.reduce((total, asset) => total + asset.gzip, 0);
  return {
    scripts,
    styles,
    js: sum(scripts),
    modernJs: sum(scripts.filter((asset) => !asset.legacy)),
    css: sum(styles),
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the console's process group; SIGKILL if it is still there after 15 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const pid = child.pid;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-pid, 'SIGTERM');
  const timer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function waitForHealth(origin: string, child: ChildProcess, log: string[]): Promise<void> {
  // The first start builds the console: allow a few minutes.
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the console exited (${child.exitCode}):\n${log.join('')}`);
    try {
      if ((await fetch(`${origin}/api/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the console did not become healthy:\n${log.join('')}`);
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { capture?: boolean } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env,
      stdio: ['ignore', options.capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

function positive(value: string | undefined, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${flag} must be a positive integer`);
  return number;
}

function at(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
