// The AWS adapters' tests and the Lambda trigger bundles (vitest.aws.config.ts) once more on each Node
// line Lambda runs. The binaries come from the `node` package on the npm registry, installed at pinned
// versions into ~/.cache/studio-access/node-<version> (outside the project's node_modules, so the
// project's own Node and native modules are untouched) when missing.
//
//   npm run test:aws-runtimes
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Lambda's Node runtimes (nodejs22.x, nodejs24.x); bump with the runtime the stack deploys. */
const RUNTIMES = ['22.23.3', '24.21.0'] as const;

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(os.homedir(), '.cache', 'studio-access');
const VITEST = path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const CONFIG = path.join(ROOT, 'vitest.aws.config.ts');

function versionOf(binary: string): string | undefined {
  if (!fs.existsSync(binary)) return undefined;
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** The path of a Node binary of exactly `version`, installing it first when it is missing. */
function nodeBinary(version: string): string {
  const prefix = path.join(CACHE, `node-${version}`);
  const binary = path.join(prefix, 'node_modules', '.bin', 'node');
  if (versionOf(binary) === `v${version}`) return binary;
  console.log(`Installing Node ${version} into ${prefix}`);
  fs.mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const install = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      `node@${version}`,
    ],
    { stdio: 'inherit' },
  );
  const installed = versionOf(binary);
  if (install.status !== 0 || installed !== `v${version}`) {
    throw new Error(`Could not install Node ${version} into ${prefix} (found ${installed ?? 'no binary'})`);
  }
  return binary;
}

function main(): void {
  const failed: string[] = [];
  for (const version of RUNTIMES) {
    const binary = nodeBinary(version);
    const started = Date.now();
    console.log(`\n== Node ${versionOf(binary)}: AWS adapters and trigger bundles (${binary})`);
    // Vitest's workers and the bundle tests' child processes run on process.execPath: this binary.
    const run = spawnSync(binary, [VITEST, 'run', '--config', CONFIG], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, STUDIO_EXPECTED_NODE: version },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`== Node ${version}: ${run.status === 0 ? 'passed' : 'FAILED'} in ${seconds} s`);
    if (run.status !== 0) failed.push(version);
  }
  if (failed.length > 0) {
    console.error(`AWS tests failed on Node ${failed.join(', ')}`);
    process.exit(1);
  }
}

main();
