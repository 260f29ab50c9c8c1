// Lambda entry point: studio-access-mail-events-<shortCode>. SNS brings the SES events of the user
// pool's configuration set (Cognito's invitation emails); a bounce or rejection marks that member's
// invitation "Invite email failed" and logs it. Configured as the triggers are (loadTriggerEnv), with
// region, credentials and endpoints from the Lambda environment. Nothing here may reach better-sqlite3.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { loadTriggerEnv } from '@/server/env';
import { createDynamoMemberStores } from '@/server/members/dynamodb';
import type { MemberStores } from '@/server/members/stores';
import { bouncesOf, recordBounces, sesMessagesOfSnsEvent } from '../delivery-events';

let stores: MemberStores | undefined;

/** How many bounced addresses were read and how many invitations marked (counts only: no addresses in logs). */
export interface MailEventsResult {
  bounced: number;
  marked: number;
}

export const handler = async (event: SNSEvent): Promise<MailEventsResult> => {
  stores ??= createDynamoMemberStores({
    client: new DynamoDBClient({}),
    tableName: loadTriggerEnv().studioTable,
  });
  const bounces = sesMessagesOfSnsEvent(event).flatMap(bouncesOf);
  // A failed write throws: Lambda retries an SNS delivery, and marking twice changes nothing.
  const marked = await recordBounces(bounces, stores);
  const result = { bounced: bounces.length, marked: marked.length };
  console.log(JSON.stringify(result));
  return result;
};
