// The README's AWS CLI commands, run as written (placeholders filled in) with the real `aws` binary
// against the embedded service started the way `npm run cognito-local` starts it. The AWS CLI is a
// client nobody here wrote: whatever it refuses to parse is a difference from Cognito.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/scripts/free-port';
import { loadEnv } from '@/server/env';
import { readOutbox } from '@/server/mail';
import { type IdentityBackend, startIdentityBackend } from '@/server/runtime';

const run = promisify(execFile);
const README = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
const README_ENDPOINT = 'http://127.0.0.1:9229';
const README_POOL = 'us-east-1_XXXXXXXXX';

const hasAws = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const inCi = process.env.CI === 'true';
if (!hasAws && !inCi) {
  console.warn(
    'readme-aws-cli.test.ts skipped: the AWS CLI (`aws`) is not installed. Install it (`sudo apt-get install -y awscli`) to run it; in CI (CI=true) it must run.',
  );
}

type Step = { env: Record<string, string> } | { aws: string[] };

/**
 * The README section on the AWS CLI: each of its ```sh blocks as steps in order, an `export` line's
 * variables or an `aws ...` command's words, continuations joined.
 */
function readmeBlocks(): Step[][] {
  const start = README.indexOf('## Pointing the AWS CLI');
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  if (blocks.length === 0)
    throw new Error('README: no ```sh block in "Pointing the AWS CLI or an SDK at the embedded service"');
  return blocks.map((block) =>
    block
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line): Step => {
        // Plain words only: no quoting or expansion to interpret.
        if (/["'`$|;&<>]/.test(line)) throw new Error(`README: cannot run as plain words: ${line}`);
        const words = line.split(/\s+/);
        if (words[0] === 'export') {
          const env: Record<string, string> = {};
          for (const pair of words.slice(1)) {
            const [name, value] = pair.split('=');
            if (name && value !== undefined) env[name] = value;
          }
          return { env };
        }
        if (words[0] === 'aws') return { aws: words.slice(1) };
        throw new Error(`README: unexpected line in the AWS CLI block: ${line}`);
      }),
  );
}

/** The first block: its `export` line and its `aws ...` commands. */
function readmeCli(): { env: Record<string, string>; commands: string[][] } {
  const env: Record<string, string> = {};
  const commands: string[][] = [];
  for (const step of readmeBlocks()[0] ?? []) {
    if ('env' in step) Object.assign(env, step.env);
    else commands.push(step.aws);
  }
  return { env, commands };
}

describe.runIf(!hasAws && inCi)('the README AWS CLI commands', () => {
  it('need the AWS CLI, which CI installs (.ci/run)', () => {
    throw new Error('CI=true but `aws` is not on PATH: .ci/run should have installed awscli');
  });
});

describe.runIf(hasAws)('the README AWS CLI commands, against the embedded service', () => {
  const { env: readmeEnv, commands } = readmeCli();
  let dataDir: string;
  let backend: IdentityBackend;
  let endpoint: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-cli-'));
    const env = loadEnv({ DATA_DIR: dataDir, COGNITO_LOCAL_PORT: String(await freePort()), PORT: '3999' });
    backend = await startIdentityBackend(env, () => {});
    endpoint = env.cognitoEndpoint!;
  });

  afterAll(async () => {
    await backend?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Runs `aws` with these words and variables; the parsed JSON it prints ({} when it prints nothing). */
  async function runAws(args: string[], variables: Record<string, string>): Promise<Record<string, unknown>> {
    const { stdout } = await run('aws', args, {
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: dataDir,
        ...variables,
        // Nothing from the machine's own AWS setup.
        AWS_CONFIG_FILE: path.join(dataDir, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dataDir, 'no-aws-credentials'),
        AWS_PAGER: '',
        AWS_DEFAULT_OUTPUT: 'json',
        NODE_ENV: 'test',
      },
    });
    return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
  }

  /** Runs a README command of the first block with its placeholders filled in. */
  async function aws(operation: string): Promise<Record<string, unknown>> {
    const words = commands.find((command) => command[1] === operation);
    if (!words) throw new Error(`README shows no \`aws cognito-idp ${operation}\``);
    const args = words.map((word) =>
      word === README_ENDPOINT ? endpoint : word === README_POOL ? backend.pool.poolId : word,
    );
    return runAws(args, readmeEnv);
  }

  it('shows the three commands with fake credentials and the embedded region', () => {
    expect(commands.map((command) => command.slice(0, 2).join(' '))).toEqual([
      'cognito-idp list-user-pools',
      'cognito-idp list-users',
      'cognito-idp admin-create-user',
    ]);
    expect(readmeEnv).toMatchObject({ AWS_DEFAULT_REGION: 'us-east-1' });
    expect(readmeEnv.AWS_ACCESS_KEY_ID).toBeTruthy();
    expect(readmeEnv.AWS_SECRET_ACCESS_KEY).toBeTruthy();
  });

  it('list-user-pools shows the amplify_backend_manager_<APP_ID> pool', async () => {
    const answer = await aws('list-user-pools');
    expect(answer.UserPools).toEqual([
      expect.objectContaining({
        Id: backend.pool.poolId,
        Name: expect.stringMatching(/^amplify_backend_manager_[a-z0-9]+$/),
        LambdaConfig: expect.any(Object),
      }),
    ]);
  });

  it('list-users shows the members: the bootstrap admin', async () => {
    const answer = await aws('list-users');
    expect(answer.Users).toEqual([
      expect.objectContaining({
        Username: expect.any(String),
        Enabled: true,
        UserStatus: 'CONFIRMED',
        Attributes: expect.arrayContaining([{ Name: 'email', Value: 'admin@example.com' }]),
      }),
    ]);
  });

  it('admin-create-user answers with the new user and puts the invitation in the outbox', async () => {
    const answer = await aws('admin-create-user');
    expect(answer.User).toEqual(
      expect.objectContaining({
        Enabled: true,
        UserStatus: 'FORCE_CHANGE_PASSWORD',
        Attributes: expect.arrayContaining([{ Name: 'email', Value: 'colleague@example.com' }]),
      }),
    );
    const invitations = readOutbox(dataDir).filter((m) => m.to === 'colleague@example.com');
    expect(invitations).toHaveLength(1);
    expect(invitations[0]).toMatchObject({ kind: 'invitation' });
    expect(invitations[0]?.text).toMatch(/Temporary password: \S+/);
    expect(invitations[0]?.text).toContain('/invite?email=colleague%40example.com');

    // And the member is there for the next list-users.
    const users = (await aws('list-users')).Users as { Attributes: { Name: string; Value: string }[] }[];
    expect(
      users
        .flatMap((u) => u.Attributes)
        .filter((a) => a.Name === 'email')
        .map((a) => a.Value)
        .sort(),
    ).toEqual(['admin@example.com', 'colleague@example.com']);
  });

  // After admin-create-user above: the colleague it invited is the member the second block signs in.
  it("the identity pool block: a member's ID token traded for local credentials, and STS names the role", async () => {
    const steps = readmeBlocks()[1] ?? [];
    expect(steps.flatMap((step) => ('aws' in step ? [step.aws.slice(0, 2).join(' ')] : []))).toEqual([
      'cognito-identity list-identity-pools',
      'cognito-idp admin-add-user-to-group',
      'cognito-idp admin-set-user-password',
      'cognito-idp admin-initiate-auth',
      'cognito-identity get-id',
      'cognito-identity get-credentials-for-identity',
      'sts get-caller-identity',
    ]);
    const values: Record<string, string> = {
      [README_ENDPOINT]: endpoint,
      [README_POOL]: backend.pool.poolId,
      APP_CLIENT_ID: backend.pool.clientId,
      IDENTITY_POOL_ID: backend.pool.identityPoolId ?? '',
    };
    // Placeholders may sit inside a word (--logins <provider>=ID_TOKEN); the longest are filled first.
    const fill = (word: string) =>
      Object.keys(values)
        .sort((a, b) => b.length - a.length)
        .reduce((text, placeholder) => text.split(placeholder).join(values[placeholder]!), word);
    let variables = { ...readmeEnv };
    const answers: Record<string, Record<string, unknown>> = {};
    for (const step of steps) {
      if ('env' in step) {
        variables = {
          ...variables,
          ...Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, fill(v)])),
        };
        continue;
      }
      const answer = await runAws(step.aws.map(fill), variables);
      answers[step.aws[1]!] = answer;
      if (step.aws[1] === 'admin-initiate-auth') {
        values.ID_TOKEN = (answer.AuthenticationResult as { IdToken: string }).IdToken;
      } else if (step.aws[1] === 'get-id') {
        values.IDENTITY_ID = answer.IdentityId as string;
      } else if (step.aws[1] === 'get-credentials-for-identity') {
        const credentials = answer.Credentials as Record<string, string>;
        values.ACCESS_KEY_ID = credentials.AccessKeyId!;
        values.SECRET_KEY = credentials.SecretKey!;
        values.SESSION_TOKEN = credentials.SessionToken!;
      }
    }
    expect(answers['list-identity-pools']?.IdentityPools).toEqual([
      {
        IdentityPoolId: backend.pool.identityPoolId,
        IdentityPoolName: expect.stringMatching(/^amplify_backend_manager_/),
      },
    ]);
    expect(values.IDENTITY_ID).toMatch(/^us-east-1:/);
    expect(values.ACCESS_KEY_ID).toMatch(/^ASIALOCAL/);
    expect(answers['get-caller-identity']).toEqual({
      UserId: expect.stringMatching(/:CognitoIdentityCredentials$/),
      Account: '000000000000',
      Arn: `arn:aws:sts::000000000000:assumed-role/${backend.pool.poolId}_Manage-only/CognitoIdentityCredentials`,
    });
  });
});
