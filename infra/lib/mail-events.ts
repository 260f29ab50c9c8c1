import path from 'node:path';
import {
  type aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_ses as ses,
  aws_sns as sns,
  aws_lambda_event_sources as sources,
} from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { mailConfigurationSetName, mailEventsFunctionName } from '../../server/cognito/resources';
import type { StackConfig } from './config';
import { bundledFunction } from './triggers';

/**
 * What the mail-events function does to the table: a conditional update of the invitation
 * (InviteStore.recordBounce) and the activity entry's puts (ActivityStore.record).
 */
export const MAIL_EVENTS_TABLE_ACTIONS = ['PutItem', 'UpdateItem'].map((action) => `dynamodb:${action}`);

/**
 * Bounces and rejections of Cognito's invitation emails, back into the console: the user pool sends
 * through a configuration set whose bounce and reject events go to an SNS topic (only SES of this
 * account and set may publish), and a function marks each such invitation "Invite email failed".
 * Only with an SES identity: Cognito's own email has no configuration set.
 */
export function createMailEvents(
  scope: Construct,
  options: { config: StackConfig; table: dynamodb.ITable },
): { configurationSet: ses.ConfigurationSet; topic: sns.Topic; handler: ReturnType<typeof bundledFunction> } {
  const { config, table } = options;
  const configurationSet = new ses.ConfigurationSet(scope, 'MailConfigurationSet', {
    configurationSetName: mailConfigurationSetName(config.appId),
  });
  const topic = new sns.Topic(scope, 'MailEvents', {
    topicName: `studio-access-mail-events-${config.appId}`,
    displayName: 'Studio Access: bounced and rejected invitation emails',
    enforceSSL: true,
  });
  configurationSet.addEventDestination('BouncesAndRejections', {
    destination: ses.EventDestination.snsTopic(topic),
    events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.REJECT],
  });
  const handler = bundledFunction(scope, 'MailEventsFunction', {
    functionName: mailEventsFunctionName(config.shortCode),
    description: 'Studio Access: marks invitations whose email bounced',
    entry: path.join('server', 'mail', 'lambda', 'mail-events.ts'),
    config,
    table,
  });
  handler.addToRolePolicy(
    new iam.PolicyStatement({ actions: MAIL_EVENTS_TABLE_ACTIONS, resources: [table.tableArn] }),
  );
  handler.addEventSource(new sources.SnsEventSource(topic));
  return { configurationSet, topic, handler };
}
