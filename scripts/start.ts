import path from 'node:path';
import { ConfigError, setNodeEnv } from '@/server/env';
import type { IdentityBackend } from '@/server/runtime';
import { runNextBuild, staleBuildReason } from './next-build';
import { loadScriptEnv } from './script-env';

const root = path.resolve(__dirname, '..');
const dev = process.argv.includes('--dev');

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
    startDisabledIdentityService,
    startIdentityBackend,
    StudioDisabledError,
  } = await import('@/server/runtime');
  muteSdkNodeVersionWarning();
  const { default: next } = await import('next');

  // Listen first: a taken PORT is reported before a build, and health checks get 503 until ready.
  const { startConsoleListener, describeListener } = await import('@/server/http/listener');
  const listener = await startConsoleListener(env).catch(fail);
  const server = listener.server;

  let backend: IdentityBackend | undefined;
  // Studio disabled (npm run studio -- disable): only the embedded service runs, no pool is made.
  let disabled: { message: string; close(): Promise<void> } | undefined;
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
    await (backend ?? disabled)?.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    backend = await startIdentityBackend(env);
  } catch (error) {
    if (!(error instanceof StudioDisabledError)) {
      server.close();
      fail(error);
    }
    const service = await startDisabledIdentityService(env).catch((failure: unknown) => {
      server.close();
      return fail(failure);
    });
    disabled = { message: error.message, close: service.close };
    console.log(`Identity service: ${service.description} (no user pool: Studio is disabled)`);
  }
  if (backend) {
    console.log(`Identity service: ${backend.description} (user pool ${backend.pool.poolId})`);
    if (backend.pool.repaired.length > 0) console.log(`Repaired: ${backend.pool.repaired.join(', ')}`);
  }

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

  if (!backend) {
    console.log(
      [
        '',
        `  ${env.productName} is running${dev ? ' (development)' : ''}, but ${disabled?.message ?? 'Studio is disabled'}.`,
        '',
        `  Console            ${env.publicUrl}  (says that Studio is disabled)`,
        `  Listening on       ${describeListener(env)}`,
        `  Data directory     ${env.dataDir}`,
        '',
      ].join('\n'),
    );
    return;
  }
  const lines = [
    '',
    `  ${env.productName} is running${dev ? ' (development)' : ''}`,
    '',
    `  Console            ${env.publicUrl}`,
    `  Listening on       ${describeListener(env)}`,
    `  Identity service   ${backend.description}`,
    `  User pool          ${backend.pool.poolId}`,
    ...(backend.pool.identityPoolId ? [`  Identity pool      ${backend.pool.identityPoolId}`] : []),
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

main().catch(fail);
