import 'server-only';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Env } from '@/server/env';
import type { ActivityStore, InviteStore } from '@/server/members/stores';

// What the Studio lifecycle (status, doctor, repair, disable, enable) works with: the same clients in
// both modes, plus IAM and Lambda in AWS mode (the embedded service has neither: its roles are names
// the identity pool maps to, its triggers run in process).

export type StudioEnv = Pick<
  Env,
  | 'identityBackend'
  | 'appId'
  | 'appIdGiven'
  | 'shortCode'
  | 'awsRegion'
  | 'awsAccountId'
  | 'userPoolId'
  | 'bootstrapAdminEmail'
  | 'sessionTtlMs'
  | 'dataDir'
>;

/** The identity pool as doctor sees it: its id and what is wrong with it, if anything. */
export interface IdentityPoolView {
  id: string;
  /** Differences from what Studio wants, one sentence each; empty when it is as Studio wants it. */
  problems: string[];
  /** IDENTITY_POOL_ID names an identity pool that does not exist, and this one was found by name. */
  staleId?: string;
}

/** The identity pool calls the lifecycle makes (server/cognito/identity-pool.ts in both modes). */
export interface IdentityPools {
  /** The pool `amplify_backend_manager_<appId>` (or IDENTITY_POOL_ID), compared with what Studio wants. */
  inspect(target: {
    appId: string;
    userPoolId: string;
    clientId: string | null;
  }): Promise<IdentityPoolView | null>;
  /** Creates or repairs it; returns its id and what was changed. */
  ensure(target: {
    appId: string;
    userPoolId: string;
    clientId: string;
  }): Promise<{ id: string; changed: string[] }>;
  /** Deletes it; a missing one is fine. */
  remove(target: { appId: string }): Promise<void>;
}

export interface StudioContext {
  env: StudioEnv;
  cognito: CognitoIdentityProviderClient;
  identityPools: IdentityPools;
  /** AWS mode only. */
  aws: { iam: IAMClient; lambda: LambdaClient } | null;
  /** The console's invitation records: the level each member should hold, for restoring levels. */
  invites: InviteStore | null;
  /** Where repairs, disable and enable are logged (the console's activity log). */
  activity: ActivityStore | null;
  now: () => number;
}
