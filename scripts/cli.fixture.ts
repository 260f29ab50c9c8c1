import { spawn } from 'node:child_process';
import path from 'node:path';

// Runs one of the project's command lines as `npm run <name>` does (tsx with the scripts' tsconfig),
// in a child process with only the given variables (and PATH; NODE_ENV production unless given) set.

const root = path.resolve(__dirname, '..');

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(
  script: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  options: { input?: string } = {},
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'node_modules/tsx/dist/cli.mjs'),
        '--tsconfig',
        'tsconfig.scripts.json',
        script,
        ...args,
      ],
      { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
