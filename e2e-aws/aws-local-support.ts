// Helpers for the AWS-mode specs on `npm run aws:local`: mail from SES's store, the operator's link
// written straight into the table (as `npm run signin-link` does), the pool's members through the
// Cognito API, and moving a URL from one console instance to the other.
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUserPoolsCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Browser, expect, type Page } from '@playwright/test';
import { createDynamoChallengeStore } from '@/server/challenges/dynamodb';
import { issueSignInLink } from '@/server/challenges/links';
import { COGNITO_URL, CONSOLE_A, CONSOLE_B, DYNAMODB_URL, SES_URL, STUDIO_TABLE } from './environment';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const GROUPS = { full: 'Full-access', manage: 'Manage-only' } as const;

export interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

/** The newest mail to `to` whose subject matches, from SES's store, waiting until it arrives. */
export async function sesMail(to: string, subject: RegExp, seenBefore = 0): Promise<StoredEmail> {
  let found: StoredEmail | undefined;
  await expect
    .poll(
      async () => {
        const response = await fetch(`${SES_URL}/store`);
        const { emails } = (await response.json()) as { emails: StoredEmail[] };
        const matching = emails.filter((e) => e.destination.to.includes(to) && subject.test(e.subject));
        found = matching.length > seenBefore ? matching[matching.length - 1] : undefined;
        return found !== undefined;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  return found!;
}

export async function sesMailCount(to: string, subject: RegExp): Promise<number> {
  const { emails } = (await (await fetch(`${SES_URL}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(to) && subject.test(e.subject)).length;
}

/** The pool aws:local provisioned, through the embedded identity service's Cognito API. */
export async function withIdentity<T>(
  work: (cognito: CognitoIdentityProviderClient, poolId: string) => Promise<T>,
): Promise<T> {
  const cognito = new CognitoIdentityProviderClient({
    endpoint: COGNITO_URL,
    region: 'us-east-1',
    credentials,
  });
  try {
    const { UserPools = [] } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    const poolId = UserPools.find((p) => p.Name?.startsWith('amplify_backend_manager_'))?.Id;
    if (!poolId) throw new Error('aws:local has no amplify_backend_manager_ pool');
    return await work(cognito, poolId);
  } finally {
    cognito.destroy();
  }
}

/** The operator's link for `email`, written straight into the table as `npm run signin-link` does. */
export async function operatorLink(email: string): Promise<string> {
  const username = await withIdentity(async (cognito, poolId) => {
    const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    return user.Username ?? email;
  });
  const dynamo = new DynamoDBClient({ endpoint: DYNAMODB_URL, region: 'us-east-1', credentials });
  try {
    const link = await issueSignInLink(
      createDynamoChallengeStore({ client: dynamo, tableName: STUDIO_TABLE }),
      { username, email },
      { publicUrl: CONSOLE_A, now: Date.now(), channel: 'operator' },
    );
    if (!link) throw new Error('the table refused the operator link');
    return link.url;
  } finally {
    dynamo.destroy();
  }
}

/** A member who has accepted their invitation (Active), at `level`, made through Cognito's API. */
export async function createActiveMember(email: string, level: keyof typeof GROUPS): Promise<void> {
  await withIdentity(async (cognito, poolId) => {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        MessageAction: 'SUPPRESS',
      }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: email,
        Password: 'E2e-Accepted-1!',
        Permanent: true,
      }),
    );
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: GROUPS[level] }),
    );
  });
}

/** Puts the member in `level`'s group only. */
export async function setLevel(email: string, level: keyof typeof GROUPS): Promise<void> {
  await withIdentity(async (cognito, poolId) => {
    for (const group of Object.values(GROUPS)) {
      if (group !== GROUPS[level]) {
        await cognito.send(
          new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: email, GroupName: group }),
        );
      }
    }
    await cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: email, GroupName: GROUPS[level] }),
    );
  });
}

export async function deleteMember(email: string): Promise<void> {
  await withIdentity((cognito, poolId) =>
    cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email })),
  );
}

/** The emails in the Full-access group, sorted. */
export async function fullAccessEmails(): Promise<string[]> {
  return withIdentity(async (cognito, poolId) => {
    const { Users = [] } = await cognito.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: GROUPS.full, Limit: 60 }),
    );
    return Users.map((user) => user.Attributes?.find((a) => a.Name === 'email')?.Value ?? '').sort();
  });
}

/** The same path on the other instance. */
export function on(origin: string, url: string): string {
  const parsed = new URL(url);
  return `${origin}${parsed.pathname}${parsed.search}${parsed.hash}`;
}

export async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** Playwright waited on A's health; B starts alongside. */
export async function waitForInstanceB(): Promise<void> {
  await expect
    .poll(
      () =>
        fetch(`${CONSOLE_B}/api/health`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 60_000 },
    )
    .toBe(200);
}
