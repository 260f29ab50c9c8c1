// Shared by the conformance suites: a service on a free port in a fresh directory, and an unmodified
// AWS SDK v3 client pointed at it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { MailMessage } from '@/server/mail/types';
import type { LambdaHandler } from './context';
import { type LocalCognito, startLocalCognito } from './server';

export interface TestService {
  service: LocalCognito;
  client: CognitoIdentityProviderClient;
  dataDir: string;
  mail: MailMessage[];
  /**
   * The service's clock runs with real time plus an offset; tests jump it with `advance`. A test that
   * counts milliseconds exactly pins real time with `frozenAt = Date.now()` (and clears it after).
   */
  clock: { offset: number; frozenAt: number | undefined; advance(ms: number): void };
  /** Lambda name → handler; tests may add or replace entries at any time. */
  lambdas: Record<string, LambdaHandler>;
  close(): Promise<void>;
}

export function makeTempDir(prefix = 'local-cognito-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sdkClient(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

/** Starts a service; a directory it made itself is removed on close, a given one is left for a restart. */
export async function startTestService(dataDir?: string): Promise<TestService> {
  const ownDir = dataDir === undefined;
  const dir = dataDir ?? makeTempDir();
  const mail: MailMessage[] = [];
  const lambdas: Record<string, LambdaHandler> = {};
  const clock: TestService['clock'] = {
    offset: 0,
    frozenAt: undefined,
    advance(ms: number) {
      clock.offset += ms;
    },
  };
  const service = await startLocalCognito({
    dataDir: dir,
    port: 0,
    lambdas,
    mailer: {
      async send(message) {
        mail.push(message);
      },
    },
    now: () => (clock.frozenAt ?? Date.now()) + clock.offset,
    log: () => {},
  });
  const client = sdkClient(service.url);
  return {
    service,
    client,
    dataDir: dir,
    mail,
    clock,
    lambdas,
    async close() {
      client.destroy();
      await service.close();
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
