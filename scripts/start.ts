// `npm start` (and `npm run dev` with --dev): validate the configuration, start the identity backend
// (embedded in local mode) and provision it, build the console if needed, and serve it on PORT from
// this one process.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, setNodeEnv } from '@/server/env';
import type { IdentityBackend } from '@/server/runtime';
import { loadScriptEnv } from './script-env';

const root = path.resolve(__dirname, '..');
const dev = process.argv.includes('--dev');

/** Source that goes into the Next build; a change to any of it makes the build stale. */
const BUILD_INPUTS = [
  'app',
  'components',
  'lib',
  'server',
  'public',
  'next.config.ts',
  'package.json',
  'tsconfig.json',
];

function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Studio Access failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    if (error instanceof Error && error.stack && !(error.name === 'IdentityError')) {
      process.stderr.write(`${error.stack}\n`);
    }
  }
  process.exit(1);
}

async function main() {
  setNodeEnv(dev ? 'development' : 'production');
  // .env, .env.local, .env.production ...: the files Next.js reads, read before validation.
  const env = loadScriptEnv(fail, dev);

  // Heavy modules load only once the configuration is known to be good.
  const {
    describeMailer,
    muteSdkNodeVersionWarning,
    nodeVersionNote,
    operatorSignInLink,
    startIdentityBackend,
  } = await import('@/server/runtime');
  muteSdkNodeVersionWarning();
  const { default: next } = await import('next');

  // Listen first: a taken PORT is reported before a build, and health checks get 503 until ready.
  const { startConsoleListener, describeListener } = await import('@/server/http/listener');
  const listener = await startConsoleListener(env).catch(fail);
  const server = listener.server;

  let backend: IdentityBackend | undefined;
  let closeApp: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: stopping Studio Access`);
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close();
    server.closeAllConnections();
    await closeApp?.().catch(() => {});
    await backend?.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    backend = await startIdentityBackend(env);
  } catch (error) {
    server.close();
    fail(error);
  }
  console.log(`Identity service: ${backend.description} (user pool ${backend.pool.poolId})`);
  if (backend.pool.repaired.length > 0) console.log(`Repaired: ${backend.pool.repaired.join(', ')}`);

  if (!dev) {
    const stale = staleBuildReason();
    if (stale) {
      console.log(`Building the console (${stale}) ...`);
      await runNextBuild();
    }
  }

  const app = next({ dev, dir: root, hostname: 'localhost', port: env.port, httpServer: server });
  await withoutStandaloneWarning(() => app.prepare());
  closeApp = () => app.close();
  const handle = app.getRequestHandler();
  listener.serve((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const lines = [
    '',
    `  ${env.productName} is running${dev ? ' (development)' : ''}`,
    '',
    `  Console            ${env.publicUrl}`,
    `  Listening on       ${describeListener(env)}`,
    `  Identity service   ${backend.description}`,
    `  User pool          ${backend.pool.poolId}`,
    `  Data directory     ${env.dataDir}`,
    `  Mail               ${describeMailer(env)}`,
    '',
  ];
  const note = nodeVersionNote();
  if (note) lines.push(`  ${note}`, '');
  const email = backend.pool.bootstrapAdminEmail;
  if (backend.pool.bootstrapCreated && email) {
    lines.push(`  ${email} was made the first Full-access member. Their one-time sign-in link follows.`);
    const link = await operatorSignInLink(env, backend, email).catch((error: unknown) => {
      lines.push(`  No link: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    if (link) {
      const minutes = Math.round((link.expiresAt - Date.now()) / 60_000);
      lines.push(`  Sign in as ${email} (valid ${minutes} minutes, works once):`, '', `  ${link.url}`, '');
    }
  }
  if (!backend.pool.bootstrapCreated) {
    lines.push('  Sign-in link for an existing Full-access member: npm run signin-link -- <email>', '');
  }
  console.log(lines.join('\n'));
}

/**
 * The build is `output: 'standalone'` (for `node .next/standalone/server.js`), and Next.js then warns
 * that "next start" ignores it. This server serves the same build from .next, so that line would only
 * mislead: it is dropped while Next.js loads, and nothing else.
 */
async function withoutStandaloneWarning<T>(load: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (
      args.some((arg) => typeof arg === 'string' && arg.includes('does not work with "output: standalone"'))
    ) {
      return;
    }
    warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
  }
}

/** Why the production build must be (re)made, or undefined when .next is newer than every input. */
function staleBuildReason(): string | undefined {
  let builtAt: number;
  try {
    builtAt = fs.statSync(path.join(root, '.next', 'BUILD_ID')).mtimeMs;
  } catch {
    return 'no build yet';
  }
  const newer = BUILD_INPUTS.map((input) => newestChange(path.join(root, input), builtAt)).find(Boolean);
  return newer ? `${path.relative(root, newer)} changed` : undefined;
}

/** The first file under `target` modified after `since`, skipping tests. */
function newestChange(target: string, since: number): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return undefined;
  }
  if (stat.isFile()) return stat.mtimeMs > since && !/\.test\.tsx?$/.test(target) ? target : undefined;
  if (!stat.isDirectory()) return undefined;
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const found = newestChange(path.join(target, entry), since);
    if (found) return found;
  }
  return undefined;
}

function runNextBuild(): Promise<void> {
  const nextBin = require.resolve('next/dist/bin/next', { paths: [root] });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`next build failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

main().catch(fail);
