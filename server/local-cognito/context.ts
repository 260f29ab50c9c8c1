import type { Mailer } from '@/server/mail/types';
import type { Db } from './db';

/** A Lambda function as the service sees it: Cognito's event in, the same event (with response) out. */
export type LambdaHandler = (event: unknown) => Promise<unknown>;

/** Everything an operation may use. One per running service; operations never read globals. */
export interface ServiceContext {
  db: Db;
  region: string;
  accountId: string;
  /** Origin of the listener, e.g. http://127.0.0.1:9229; token issuers are `${origin}/${poolId}`. */
  origin: string;
  /** Milliseconds since the epoch; replaceable so tests can move time. */
  now(): number;
  /**
   * A key kept in a file beside the database, not in it: it hashes temporary passwords and derives the
   * secret keys of the credentials GetCredentialsForIdentity issues.
   */
  pepper: Buffer;
  /** Resolves a Lambda function name (from a pool's LambdaConfig ARN) to an in-process handler. */
  lambda(functionName: string): LambdaHandler | undefined;
  /** Where the messages Cognito itself sends (invitations, codes) go; undefined = log only. */
  mailer: Mailer | undefined;
  log(line: string): void;
}

/** An API operation: the parsed JSON request in, the JSON response out (or a thrown CognitoError). */
export type Operation = (input: Record<string, unknown>, ctx: ServiceContext) => unknown | Promise<unknown>;
