// Persistence: state survives a restart on the same data directory, and several services — in this
// process and in another one — writing to one data directory at once lose nothing and corrupt nothing.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  ListUsersCommand,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { attribute, newEmailPool, newUser, temporaryPasswordIn } from './admin-test-fixture';
import { verifyPassword } from './crypto';
import { DB_FILE } from './db';
import { createUsers } from './persistence-child';
import { makeTempDir, startTestService, type TestService } from './test-support';

const open: TestService[] = [];
async function start(dataDir: string) {
  const service = await startTestService(dataDir);
  open.push(service);
  return service;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((service) => service.close()));
});

async function allUsers(t: TestService, poolId: string): Promise<UserType[]> {
  const users: UserType[] = [];
  let token: string | undefined;
  do {
    const page = await t.client.send(new ListUsersCommand({ UserPoolId: poolId, PaginationToken: token }));
    users.push(...(page.Users ?? []));
    token = page.PaginationToken;
  } while (token);
  return users;
}

describe('restart', () => {
  it('keeps pools, clients, groups, users, memberships and temporary passwords', async () => {
    const dataDir = makeTempDir();
    const first = await start(dataDir);
    const poolId = await newEmailPool(first, {
      PoolName: 'kept',
      Policies: { PasswordPolicy: { MinimumLength: 10 } },
    });
    const { UserPoolClient } = await first.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', GenerateSecret: true }),
    );
    await first.client.send(
      new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'Full-access', Precedence: 0 }),
    );
    await first.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'admin@example.com',
        DesiredDeliveryMediums: ['EMAIL'],
        UserAttributes: [{ Name: 'name', Value: 'Ada Admin' }],
      }),
    );
    const password = temporaryPasswordIn(first.mail[0]!.text);
    for (let i = 0; i < 70; i++) await newUser(first, poolId, `user${i}@example.com`);
    await first.client.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: poolId,
        Username: 'admin@example.com',
        GroupName: 'Full-access',
      }),
    );
    const before = await first.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    await first.close();
    open.splice(open.indexOf(first), 1);

    const second = await start(dataDir);
    const after = await second.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(after.UserPool).toEqual(before.UserPool);
    expect(after.UserPool?.EstimatedNumberOfUsers).toBe(71);
    const client = await second.client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: UserPoolClient!.ClientId }),
    );
    expect(client.UserPoolClient).toEqual(UserPoolClient);
    const group = await second.client.send(
      new GetGroupCommand({ UserPoolId: poolId, GroupName: 'Full-access' }),
    );
    expect(group.Group?.Precedence).toBe(0);
    const admin = await second.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'admin@example.com' }),
    );
    expect(attribute(admin.UserAttributes, 'name')).toBe('Ada Admin');
    const { Groups } = await second.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'admin@example.com' }),
    );
    expect(Groups?.map((item) => item.GroupName)).toEqual(['Full-access']);
    expect(await allUsers(second, poolId)).toHaveLength(71);
    // The pepper kept beside the database still verifies the temporary password hashed before.
    const row = second.service.context.db
      .prepare('SELECT password_hash FROM users WHERE pool_id = ? AND username = ?')
      .get(poolId, admin.Username) as { password_hash: string };
    expect(await verifyPassword(password, row.password_hash, second.service.context.pepper)).toBe(true);
  });
});

describe('several writers on one data directory', () => {
  it('loses no user and corrupts nothing when two services and another process create users at once', async () => {
    const dataDir = makeTempDir();
    const first = await start(dataDir);
    const second = await start(dataDir);
    const poolId = await newEmailPool(first);
    const own = 120;
    const shared = 40;

    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, 'persistence-child.ts'),
        dataDir,
        poolId,
        'child',
        String(own),
        String(shared),
      ],
      { cwd: path.resolve(__dirname, '../..'), stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = readline.createInterface({ input: child.stdout });
    const output: string[] = [];
    const ready = new Promise<void>((resolve, reject) => {
      lines.on('line', (line) => {
        output.push(line);
        if (line === 'ready') resolve();
      });
      exited.then((code) => reject(new Error(`child exited (${code}) before ready: ${stderr}`)));
    });
    await ready;

    child.stdin.write('go\n');
    const [a, b] = await Promise.all([
      createUsers(first.client, poolId, 'first', own, shared),
      createUsers(second.client, poolId, 'second', own, shared),
    ]);
    expect(await exited, stderr).toBe(0);
    const c = JSON.parse(output[output.length - 1]!) as { created: number; conflicts: number };

    expect(a.created + b.created + c.created).toBe(3 * own + shared);
    expect(a.conflicts + b.conflicts + c.conflicts).toBe(2 * shared);
    const users = await allUsers(first, poolId);
    const emails = users.map((user) => attribute(user.Attributes, 'email')!);
    expect(emails).toHaveLength(3 * own + shared);
    expect(new Set(emails).size).toBe(emails.length);
    for (const writer of ['first', 'second', 'child']) {
      for (let i = 0; i < own; i++) expect(emails).toContain(`${writer}-${i}@example.com`);
    }
    for (let i = 0; i < shared; i++) expect(emails).toContain(`shared-${i}@example.com`);

    expect(first.service.context.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const fresh = new Database(path.join(dataDir, DB_FILE), { readonly: true });
    try {
      expect(fresh.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(fresh.pragma('foreign_key_check')).toEqual([]);
      const { n } = fresh.prepare('SELECT count(*) AS n FROM users WHERE pool_id = ?').get(poolId) as {
        n: number;
      };
      expect(n).toBe(3 * own + shared);
    } finally {
      fresh.close();
    }
  });
});
