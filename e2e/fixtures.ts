import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { test as base } from '@playwright/test';
import { type OutboxMessage, readOutbox } from '@/server/mail';
import { E2E_COGNITO_URL, E2E_DATA_DIR } from './environment';

export { expect } from '@playwright/test';

export type Level = 'full' | 'manage';
const GROUPS: Record<Level, string> = { full: 'Full-access', manage: 'Manage-only' };

/** The mail the console under test "sent": its outbox in DATA_DIR. */
export class Outbox {
  constructor(private readonly dataDir: string) {}

  /** Every message so far, newest first. */
  all(): OutboxMessage[] {
    return readOutbox(this.dataDir);
  }

  messagesTo(address: string): OutboxMessage[] {
    return this.all().filter((m) => m.to.toLowerCase() === address.toLowerCase());
  }

  /**
   * The newest message to `address` (optionally matching `subject`, written after `since`), polling
   * until `timeoutMs` passes.
   */
  async waitFor(
    address: string,
    options: { subject?: RegExp; since?: Date; timeoutMs?: number } = {},
  ): Promise<OutboxMessage> {
    const deadline = Date.now() + (options.timeoutMs ?? 15_000);
    for (;;) {
      const found = this.messagesTo(address).find(
        (m) =>
          (!options.subject || options.subject.test(m.subject)) &&
          (!options.since || new Date(m.createdAt) >= options.since),
      );
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `No mail to ${address}${options.subject ? ` matching ${options.subject}` : ''} arrived`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Sets members up directly in the embedded identity service, through the AWS SDK, as an operator would. */
export class IdentityAdmin {
  readonly client = new CognitoIdentityProviderClient({
    endpoint: E2E_COGNITO_URL,
    region: 'us-east-1',
    credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' },
  });
  private pool: string | undefined;

  /** The console's pool (the only `amplify_backend_manager_*` pool in the fresh e2e data directory). */
  async poolId(): Promise<string> {
    if (this.pool) return this.pool;
    const { UserPools = [] } = await this.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    const found = UserPools.find((p) => p.Name?.startsWith('amplify_backend_manager_'));
    if (!found?.Id) throw new Error('The console has not provisioned its user pool');
    this.pool = found.Id;
    return found.Id;
  }

  /** Invites a member (no email unless `sendInvitation`), in the group for `level` when given. */
  async createMember(
    email: string,
    level: Level | null,
    options: { sendInvitation?: boolean; temporaryPassword?: string } = {},
  ): Promise<string> {
    const UserPoolId = await this.poolId();
    const created = await this.client.send(
      new AdminCreateUserCommand({
        UserPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        TemporaryPassword: options.temporaryPassword,
        ...(options.sendInvitation ? { DesiredDeliveryMediums: ['EMAIL'] } : { MessageAction: 'SUPPRESS' }),
      }),
    );
    if (level) await this.setLevel(email, level);
    return created.User?.Username ?? email;
  }

  async setLevel(email: string, level: Level): Promise<void> {
    const UserPoolId = await this.poolId();
    const other: Level = level === 'full' ? 'manage' : 'full';
    await this.client.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId, Username: email, GroupName: GROUPS[other] }),
    );
    await this.client.send(
      new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: GROUPS[level] }),
    );
  }

  async groupsOf(email: string): Promise<string[]> {
    const { Groups = [] } = await this.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: await this.poolId(), Username: email }),
    );
    return Groups.map((g) => g.GroupName ?? '');
  }

  async status(email: string): Promise<{ status: string | undefined; enabled: boolean | undefined }> {
    const user = await this.client.send(
      new AdminGetUserCommand({ UserPoolId: await this.poolId(), Username: email }),
    );
    return { status: user.UserStatus, enabled: user.Enabled };
  }

  async disable(email: string): Promise<void> {
    await this.client.send(new AdminDisableUserCommand({ UserPoolId: await this.poolId(), Username: email }));
  }

  async deleteMember(email: string): Promise<void> {
    await this.client.send(new AdminDeleteUserCommand({ UserPoolId: await this.poolId(), Username: email }));
  }
}

export const test = base.extend<{ outbox: Outbox; admin: IdentityAdmin }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies destructured.
  outbox: async ({}, use) => {
    await use(new Outbox(E2E_DATA_DIR));
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies destructured.
  admin: async ({}, use) => {
    const admin = new IdentityAdmin();
    await use(admin);
    admin.client.destroy();
  },
});
