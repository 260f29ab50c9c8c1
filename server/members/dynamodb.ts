import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type AccessLevel, isAccessLevel } from '@/lib/access-levels';
import { type ActivityAction, type ActivityEntry, activityActions } from '@/lib/members';
import { checkTableName, isConditionFailed, itemKeys, sortableMs } from '@/server/storage/dynamodb-table';
import type { ActivityStore, InviteRecord, InviteStore, MemberStores } from './stores';

// The member stores on the studio table (AWS mode); no SQLite, no `server-only`, no env.
// Activity: one item per entry under ACTIVITY, and a copy under ACTIVITY#<email> for the actor and for
// the target, so both listings are one strongly consistent query, newest first by sort key. The
// copies are written before the team-wide item: an entry the log shows is in every member's view.
// Invitations: one item per email; gsi1 (INVITE_FAILED / email) holds those whose email failed.

const MAX_PAGE = 200;
const ID_PATTERN = /^\d{13}#[0-9a-f]{16}$/;
const BATCH_GET_MAX = 100;

interface ActivityItem {
  id: string;
  at: number;
  actorEmail: string;
  action: string;
  targetEmail: string | null;
  detail: string | null;
  outcome: string;
  message: string | null;
}

interface InviteItem {
  email: string;
  username?: string | null;
  invitedBy?: string | null;
  accessLevel?: string | null;
  delivery?: string | null;
  deliveryError?: string | null;
  invitedAt?: number | null;
  changedAt: number;
}

export function createDynamoMemberStores(options: {
  client: DynamoDBClient;
  tableName: string;
  now?: () => number;
}): MemberStores {
  const db = DynamoDBDocumentClient.from(options.client);
  const TableName = checkTableName(options.tableName);
  const now = options.now ?? Date.now;

  // Ids sort by time, then by this instance's order of writing; instances break ties by a random prefix.
  const instance = randomBytes(4).toString('hex');
  let sequence = 0;
  const newId = (at: number) =>
    `${sortableMs(at)}#${instance}${(sequence++ % 0x1_0000_0000).toString(16).padStart(8, '0')}`;

  const activity: ActivityStore = {
    async record(entry) {
      const actorEmail = entry.actorEmail.toLowerCase();
      const targetEmail = entry.targetEmail?.toLowerCase() ?? null;
      const at = entry.at ?? now();
      const item: ActivityItem = {
        id: newId(at),
        at,
        actorEmail,
        action: entry.action,
        targetEmail,
        detail: entry.detail,
        outcome: entry.outcome,
        message: entry.message,
      };
      const members = new Set([actorEmail, ...(targetEmail ? [targetEmail] : [])]);
      for (const pk of [...[...members].map((m) => itemKeys.activityPk(m)), itemKeys.activityPk()]) {
        await db.send(
          new PutCommand({
            TableName,
            Item: { pk, sk: item.id, ...item },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      }
      return toEntry(item);
    },

    async list(query) {
      const before = decodeCursor(query.cursor);
      const limit = Math.max(1, Math.min(MAX_PAGE, Math.floor(query.limit)));
      const member = query.member?.trim().toLowerCase();
      const page = await db.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
          ExpressionAttributeValues: {
            ':pk': itemKeys.activityPk(member || undefined),
            ...(before ? { ':before': before } : {}),
          },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: limit + 1,
        }),
      );
      const items = (page.Items ?? []) as ActivityItem[];
      const shown = items.slice(0, limit);
      const last = shown[shown.length - 1];
      return {
        entries: shown.map(toEntry),
        ...(items.length > limit && last ? { nextCursor: encodeCursor(last.id) } : {}),
      };
    },
  };

  /** Sets the given fields of an email's record (creating it), and its place in the failed index. */
  async function update(email: string, fields: Record<string, unknown>, delivery?: 'sent' | 'failed') {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(fields).map(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:v${i}`] = value;
      return `#f${i} = :v${i}`;
    });
    let remove = '';
    if (delivery === 'failed') {
      names['#gp'] = 'gsi1pk';
      names['#gs'] = 'gsi1sk';
      values[':gp'] = itemKeys.inviteFailedPk;
      values[':gs'] = email;
      sets.push('#gp = :gp', '#gs = :gs');
    } else if (delivery === 'sent') {
      remove = ' REMOVE gsi1pk, gsi1sk';
    }
    await db.send(
      new UpdateCommand({
        TableName,
        Key: itemKeys.invite(email),
        UpdateExpression: `SET ${sets.join(', ')}${remove}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  const invites: InviteStore = {
    async getMany(emails) {
      const found = new Map<string, InviteRecord>();
      const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
      for (let i = 0; i < wanted.length; i += BATCH_GET_MAX) {
        let keys: Record<string, unknown>[] | undefined = wanted
          .slice(i, i + BATCH_GET_MAX)
          .map((email) => itemKeys.invite(email));
        while (keys?.length) {
          const answer: BatchGetCommandOutput = await db.send(
            new BatchGetCommand({ RequestItems: { [TableName]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of answer.Responses?.[TableName] ?? []) {
            const record = toInvite(item as InviteItem);
            found.set(record.email, record);
          }
          keys = answer.UnprocessedKeys?.[TableName]?.Keys;
        }
      }
      return found;
    },

    async recordInvitation(record) {
      const email = record.email.toLowerCase();
      const item: InviteItem = {
        email,
        username: record.username,
        invitedBy: record.invitedBy.toLowerCase(),
        accessLevel: record.accessLevel,
        delivery: record.delivery,
        deliveryError: record.deliveryError,
        invitedAt: record.at,
        changedAt: record.at,
      };
      const failed = record.delivery === 'failed' ? { gsi1pk: itemKeys.inviteFailedPk, gsi1sk: email } : {};
      await db.send(new PutCommand({ TableName, Item: { ...itemKeys.invite(email), ...item, ...failed } }));
    },

    async recordDelivery(email, change) {
      const key = email.toLowerCase();
      await update(
        key,
        {
          email: key,
          username: change.username,
          invitedBy: change.invitedBy.toLowerCase(),
          delivery: change.delivery,
          deliveryError: change.deliveryError,
          invitedAt: change.at,
          changedAt: change.at,
        },
        change.delivery,
      );
    },

    async recordLevel(email, change) {
      const key = email.toLowerCase();
      await update(key, {
        email: key,
        username: change.username,
        accessLevel: change.accessLevel,
        changedAt: change.at,
      });
    },

    async remove(email) {
      await db.send(new DeleteCommand({ TableName, Key: itemKeys.invite(email.toLowerCase()) }));
    },

    async recordBounce(email, bounce) {
      const key = email.toLowerCase();
      try {
        const answer = await db.send(
          new UpdateCommand({
            TableName,
            Key: itemKeys.invite(key),
            UpdateExpression: 'SET delivery = :failed, deliveryError = :reason, gsi1pk = :gp, gsi1sk = :gs',
            ConditionExpression: 'delivery = :sent AND invitedAt <= :latest',
            ExpressionAttributeValues: {
              ':failed': 'failed',
              ':sent': 'sent',
              ':reason': bounce.reason,
              ':latest': bounce.invitedNoLaterThan,
              ':gp': itemKeys.inviteFailedPk,
              ':gs': key,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return answer.Attributes ? toInvite(answer.Attributes as InviteItem) : null;
      } catch (error) {
        if (isConditionFailed(error)) return null;
        throw error;
      }
    },

    async listFailed({ after, prefix, limit }) {
      const size = Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)));
      const from = prefix?.toLowerCase() ?? '';
      // Every string starting with the prefix sorts below prefix + U+FFFF (emails are lower-cased).
      const low = after && after > from ? after : from;
      const high = `${from}\uffff`;
      if (low > high) return { records: [] };
      const records: InviteRecord[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      // The index is eventually consistent on AWS: a failure recorded a moment ago may show a moment later.
      do {
        const page = await db.send(
          new QueryCommand({
            TableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :low AND :high',
            ExpressionAttributeValues: { ':p': itemKeys.inviteFailedPk, ':low': low, ':high': high },
            Limit: size + 2,
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const record = toInvite(item as InviteItem);
          if (after === undefined || record.email > after) records.push(record);
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey && records.length <= size);
      const shown = records.slice(0, size);
      const last = shown[shown.length - 1];
      return { records: shown, ...(records.length > size && last ? { next: last.email } : {}) };
    },
  };

  return { activity, invites, close() {} };
}

function toEntry(item: ActivityItem): ActivityEntry {
  return {
    id: item.id,
    at: new Date(item.at).toISOString(),
    actorEmail: item.actorEmail,
    action: activityActions.find((action) => action === item.action) ?? (item.action as ActivityAction),
    targetEmail: item.targetEmail ?? null,
    detail: item.detail ?? null,
    outcome: item.outcome === 'failure' ? 'failure' : 'success',
    message: item.message ?? null,
  };
}

function toInvite(item: InviteItem): InviteRecord {
  const level: AccessLevel | null = isAccessLevel(item.accessLevel) ? item.accessLevel : null;
  return {
    email: item.email,
    username: item.username ?? null,
    invitedBy: item.invitedBy ?? null,
    accessLevel: level,
    delivery: item.delivery === 'sent' || item.delivery === 'failed' ? item.delivery : null,
    deliveryError: item.deliveryError ?? null,
    invitedAt: item.invitedAt ?? null,
    changedAt: item.changedAt,
  };
}

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor names, or undefined for a missing or malformed one (the newest page). */
function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return ID_PATTERN.test(text) ? text : undefined;
}
