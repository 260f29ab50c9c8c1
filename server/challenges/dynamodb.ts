import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { checkTableName, isConditionFailed, itemKeys, ttlSeconds } from '@/server/storage/dynamodb-table';
import { safeEqual } from './links';
import type { ChallengeStore, ConsumeResult, LinkState, PutLimits, PutResult, StoredLink } from './port';

// The challenge store on the studio table (AWS mode; the Lambda triggers import this file, so it
// loads no SQLite, no `server-only` and no env). Single-item conditional writes only:
// - the member's item LINKS#<username> holds the email send times of the last hour and the links
//   not known retired; every put replaces it on the condition that its version is still the one read,
//   so of two instances putting at once one re-reads and checks again (the pacing rules are exact);
// - each link is its own item LINK#<hash>; spending it is one conditional update (used once).
// Expiry is checked in code; `ttl` only clears old items away.

const HOUR_MS = 60 * 60 * 1000;
// Kept a day past expiry so a late click still says "expired" rather than "unknown".
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;
// A put that keeps losing the race to other instances gives up rather than spinning.
const MAX_PUT_ATTEMPTS = 20;

interface LinkRef {
  hash: string;
  email: string;
  createdAt: number;
  expiresAt: number;
}

interface MemberLinksItem {
  version: number;
  /** createdAt of the emailed links of the last hour, oldest first. */
  sends: number[];
  /** Links of this member that may still be live (not yet known retired, not expired). */
  links: LinkRef[];
}

interface LinkItem {
  username: string;
  email: string;
  createdAt: number;
  expiresAt: number;
  channel?: StoredLink['channel'];
  usedAt?: number;
  replacedAt?: number;
}

export function createDynamoChallengeStore(options: {
  client: DynamoDBClient;
  tableName: string;
}): ChallengeStore {
  const db = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const TableName = checkTableName(options.tableName);

  async function readMember(username: string): Promise<MemberLinksItem | undefined> {
    const { Item } = await db.send(
      new GetCommand({ TableName, Key: itemKeys.memberLinks(username), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      version: Number(Item.version),
      sends: Array.isArray(Item.sends) ? Item.sends.map(Number) : [],
      links: Array.isArray(Item.links) ? (Item.links as LinkRef[]) : [],
    };
  }

  async function readLink(secretHash: string): Promise<LinkItem | undefined> {
    const { Item } = await db.send(
      new GetCommand({ TableName, Key: itemKeys.link(secretHash), ConsistentRead: true }),
    );
    return Item as LinkItem | undefined;
  }

  /**
   * Retires one link unless it was used or retired already. When its put has not landed yet (another
   * instance is between its two writes), this writes the retired item first and that put then finds
   * the key taken: the link was replaced before anyone could use it.
   */
  async function retire(username: string, ref: LinkRef, at: number): Promise<void> {
    try {
      await db.send(
        new UpdateCommand({
          TableName,
          Key: itemKeys.link(ref.hash),
          UpdateExpression:
            'SET replacedAt = :at, username = if_not_exists(username, :u), email = if_not_exists(email, :e), ' +
            'createdAt = if_not_exists(createdAt, :c), expiresAt = if_not_exists(expiresAt, :x), ' +
            '#ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(usedAt) AND attribute_not_exists(replacedAt)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':at': at,
            ':u': username,
            ':e': ref.email,
            ':c': ref.createdAt,
            ':x': ref.expiresAt,
            ':ttl': ttlSeconds(ref.expiresAt + KEEP_AFTER_EXPIRY_MS),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  function refused(
    link: StoredLink,
    member: MemberLinksItem | undefined,
    limits: PutLimits,
  ): PutResult | null {
    if (link.channel !== 'email' || !member) return null;
    const sends = member.sends.filter((at) => at > link.createdAt - HOUR_MS);
    const last = sends.length ? Math.max(...sends) : undefined;
    if (last !== undefined && link.createdAt - last < limits.minIntervalMs) {
      return {
        stored: false,
        reason: 'interval',
        retryAfterMs: last + limits.minIntervalMs - link.createdAt,
      };
    }
    if (limits.maxPerHour !== undefined && sends.length >= limits.maxPerHour) {
      const sorted = [...sends].sort((a, b) => a - b);
      const freed = sorted[sorted.length - limits.maxPerHour]! + HOUR_MS;
      return { stored: false, reason: 'hourly', retryAfterMs: freed - link.createdAt };
    }
    return null;
  }

  function stateOf(item: LinkItem | undefined, now: number): LinkState {
    if (!item) return { state: 'unknown' };
    if (item.usedAt !== undefined) return { state: 'used', email: item.email };
    if (item.replacedAt !== undefined) return { state: 'replaced', email: item.email };
    if (item.expiresAt <= now) return { state: 'expired', email: item.email };
    return { state: 'valid', username: item.username, email: item.email, expiresAt: item.expiresAt };
  }

  return {
    async put(link, limits) {
      const ref: LinkRef = {
        hash: link.secretHash,
        email: link.email,
        createdAt: link.createdAt,
        expiresAt: link.expiresAt,
      };
      for (let attempt = 0; attempt < MAX_PUT_ATTEMPTS; attempt++) {
        const member = await readMember(link.username);
        const refusal = refused(link, member, limits);
        if (refusal) return refusal;
        const earlier = (member?.links ?? []).filter(
          (l) => l.expiresAt > link.createdAt && l.hash !== ref.hash,
        );
        const sends = (member?.sends ?? []).filter((at) => at > link.createdAt - HOUR_MS);
        if (link.channel === 'email') sends.push(link.createdAt);
        const next = {
          ...itemKeys.memberLinks(link.username),
          version: (member?.version ?? 0) + 1,
          sends,
          links: [...earlier, ref],
          ttl: ttlSeconds(Math.max(link.createdAt + HOUR_MS, ...[...earlier, ref].map((l) => l.expiresAt))),
        };
        try {
          // The one step every instance agrees on: this write decides the pace and the live link.
          await db.send(
            new PutCommand({
              TableName,
              Item: next,
              ConditionExpression: member ? 'version = :v' : 'attribute_not_exists(pk)',
              ...(member ? { ExpressionAttributeValues: { ':v': member.version } } : {}),
            }),
          );
        } catch (error) {
          if (isConditionFailed(error)) continue;
          throw error;
        }
        // Earlier links first, then this one: a crash in between leaves none live, never two.
        for (const old of earlier) await retire(link.username, old, link.createdAt);
        try {
          await db.send(
            new PutCommand({
              TableName,
              Item: {
                ...itemKeys.link(link.secretHash),
                username: link.username,
                email: link.email,
                createdAt: link.createdAt,
                expiresAt: link.expiresAt,
                channel: link.channel,
                ttl: ttlSeconds(link.expiresAt + KEEP_AFTER_EXPIRY_MS),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
        } catch (error) {
          // A newer put (or an invalidation) already retired this link: stored, and replaced.
          if (!isConditionFailed(error)) throw error;
        }
        return { stored: true };
      }
      throw new Error(`challenge store: gave up storing a link after ${MAX_PUT_ATTEMPTS} contended attempts`);
    },

    async consume(secretHash, username, now): Promise<ConsumeResult> {
      let spent: LinkItem | undefined;
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName,
            Key: itemKeys.link(secretHash),
            UpdateExpression: 'SET usedAt = :now',
            ConditionExpression:
              'attribute_exists(pk) AND attribute_not_exists(usedAt) AND attribute_not_exists(replacedAt) AND expiresAt > :now',
            ExpressionAttributeValues: { ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        );
        spent = Attributes as LinkItem | undefined;
      } catch (error) {
        if (!isConditionFailed(error)) throw error;
      }
      if (spent) {
        // The link is spent either way; it only signs in the member it was sent to.
        if (safeEqual(spent.username, username)) {
          return { consumed: true, username: spent.username, email: spent.email };
        }
        return { consumed: false, reason: 'wrong-member' };
      }
      const state = stateOf(await readLink(secretHash), now);
      // 'valid' here means another writer raced us between the two requests; it was not ours.
      return { consumed: false, reason: state.state === 'valid' ? 'used' : state.state };
    },

    async inspect(secretHash, now) {
      return stateOf(await readLink(secretHash), now);
    },

    async invalidate(username, now) {
      const member = await readMember(username);
      for (const ref of member?.links ?? []) {
        if (ref.expiresAt > now) await retire(username, ref, now);
      }
    },

    close() {},
  };
}
