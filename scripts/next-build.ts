// The console's production build (`next build` into .next), made when a source is newer than it:
// shared by `npm start` and `npm run aws:local`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

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

/** Why the production build must be (re)made, or undefined when .next is newer than every input. */
export function staleBuildReason(): string | undefined {
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

export function runNextBuild(): Promise<void> {
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
