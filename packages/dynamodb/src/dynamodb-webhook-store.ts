import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type BreakerPolicy,
  type LaneMove,
  type LanePolicy,
  NotFoundError,
  type OutcomeTally,
  openPeriodMs,
  type Webhook,
  type WebhookPatch,
  type WebhookStore,
} from '@hookrelay/domain';
import type { BatchReader } from './batch-reader.js';
import { isConditionFailure, updateExpression, writeIf } from './expressions.js';
import { tenantPartitionPk, WEBHOOK_SK_PREFIX, webhookKey } from './keys/data-table.js';
import { queryItems } from './paged-query.js';

/**
 * A payload filter is stored as its JSON text, not as a map: the SDK refuses a number past 2^53
 * in a map, DynamoDB an empty field name or nesting past 32 levels, and a tenant's filter may
 * hold any of them. Only a webhook with a filter pays the parse, when it is read.
 */
const filterText = <T extends { readonly filter?: Webhook['filter'] }>(fields: T) =>
  fields.filter === undefined ? fields : { ...fields, filter: JSON.stringify(fields.filter) };

const toWebhook = (item: Record<string, unknown>): Webhook => {
  const { pk: _pk, sk: _sk, filter, ...rest } = item;
  return {
    ...(rest as unknown as Webhook),
    ...(typeof filter === 'string' ? { filter: JSON.parse(filter) } : {}),
    delivery_success_count: Number(rest.delivery_success_count ?? 0),
    delivery_failure_count: Number(rest.delivery_failure_count ?? 0),
  };
};

export class DynamoDbWebhookStore implements WebhookStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Reads by key through it, gathered with the other reads of the same moment. */
    private readonly reader?: BatchReader,
  ) {}

  async create(webhook: Webhook): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...webhookKey(webhook.tenant_id, webhook.id), ...filterText(webhook) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(tenantId: string, webhookId: string): Promise<Webhook | undefined> {
    const key = webhookKey(tenantId, webhookId);
    const item = this.reader
      ? await this.reader.get(this.table, key)
      : (await this.db.send(new GetCommand({ TableName: this.table, Key: key }))).Item;
    return item ? toWebhook(item) : undefined;
  }

  async list(tenantId: string): Promise<Webhook[]> {
    const items: Webhook[] = [];
    const query = {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': tenantPartitionPk(tenantId), ':prefix': WEBHOOK_SK_PREFIX },
    };
    for await (const item of queryItems(this.db, query)) items.push(toWebhook(item));
    return items.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async update(tenantId: string, webhookId: string, patch: WebhookPatch, now: string): Promise<Webhook> {
    // Re-activating a webhook also forgets why it was disabled and its failing streak.
    const reactivate = patch.active === true ? { disabled_reason: undefined, failing_since: undefined } : {};
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: webhookKey(tenantId, webhookId),
          ...updateExpression({ ...filterText(patch), ...reactivate, updated_at: now }),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toWebhook(out.Attributes ?? {});
    } catch (error) {
      if (isConditionFailure(error)) throw new NotFoundError('webhook', webhookId);
      throw error;
    }
  }

  async delete(tenantId: string, webhookId: string): Promise<boolean> {
    const out = await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: webhookKey(tenantId, webhookId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out.Attributes !== undefined;
  }

  async markLane(
    tenantId: string,
    webhookId: string,
    change: LaneMove,
    nowMs: number,
    policy: LanePolicy,
  ): Promise<boolean> {
    const now = new Date(nowMs).toISOString();
    const writes = {
      quarantine: {
        UpdateExpression: 'SET lane = :slow, lane_since = :now, slow_seen_at = :now',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(lane)',
        ExpressionAttributeValues: { ':slow': 'slow', ':now': now },
      },
      renew: {
        UpdateExpression: 'SET slow_seen_at = :now',
        ConditionExpression: 'lane = :slow AND slow_seen_at <= :cutoff',
        ExpressionAttributeValues: {
          ':slow': 'slow',
          ':now': now,
          ':cutoff': new Date(nowMs - policy.renewEveryMs).toISOString(),
        },
      },
      recover: {
        UpdateExpression: 'REMOVE lane, lane_since, slow_seen_at',
        ConditionExpression: 'lane = :slow AND slow_seen_at <= :cutoff',
        ExpressionAttributeValues: {
          ':slow': 'slow',
          ':cutoff': new Date(nowMs - policy.recoverAfterMs).toISOString(),
        },
      },
    } as const;
    return writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: webhookKey(tenantId, webhookId),
        ...writes[change],
      }),
    );
  }

  async noteUnanswered(
    tenantId: string,
    webhookId: string,
    nowMs: number,
    policy: BreakerPolicy,
  ): Promise<void> {
    const key = webhookKey(tenantId, webhookId);
    let counted: Record<string, unknown> | undefined;
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          // A probe that went unanswered gives the breaker back for the next period.
          UpdateExpression: 'ADD unanswered :one REMOVE probe_until',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      counted = out.Attributes;
    } catch (error) {
      if (isConditionFailure(error)) return;
      throw error;
    }
    const unanswered = Number(counted?.unanswered ?? 0);
    if (unanswered < policy.openAfter) return;
    const parkedUntil = counted?.parked_until ? Date.parse(String(counted.parked_until)) : 0;
    // Open (or open again) once per period, whichever instance counts first.
    if (parkedUntil > nowMs) return;
    await writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: key,
        UpdateExpression: 'SET parked_until = :until',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(parked_until) OR parked_until <= :now)',
        ExpressionAttributeValues: {
          ':until': new Date(nowMs + openPeriodMs(unanswered, policy)).toISOString(),
          ':now': new Date(nowMs).toISOString(),
        },
      }),
    );
  }

  async noteAnswered(tenantId: string, webhookId: string): Promise<void> {
    await writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: webhookKey(tenantId, webhookId),
        UpdateExpression: 'REMOVE unanswered, parked_until, probe_until',
        ConditionExpression: 'attribute_exists(unanswered)',
      }),
    );
  }

  async takeProbe(tenantId: string, webhookId: string, nowMs: number, untilMs: number): Promise<boolean> {
    return writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: webhookKey(tenantId, webhookId),
        UpdateExpression: 'SET probe_until = :until',
        ConditionExpression:
          'attribute_exists(parked_until) AND (attribute_not_exists(probe_until) OR probe_until <= :now)',
        ExpressionAttributeValues: {
          ':until': new Date(untilMs).toISOString(),
          ':now': new Date(nowMs).toISOString(),
        },
      }),
    );
  }

  async claimCertificateNotice(tenantId: string, webhookId: string, fingerprint: string): Promise<boolean> {
    return writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: webhookKey(tenantId, webhookId),
        UpdateExpression: 'SET certificate_notified = :fp',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(certificate_notified) OR certificate_notified <> :fp)',
        ExpressionAttributeValues: { ':fp': fingerprint },
      }),
    );
  }

  async claimFailingNotice(
    tenantId: string,
    webhookId: string,
    at: string,
    quietMs: number,
  ): Promise<boolean> {
    return writeIf(
      this.db,
      new UpdateCommand({
        TableName: this.table,
        Key: webhookKey(tenantId, webhookId),
        UpdateExpression: 'SET failing_notified_at = :at',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(failing_notified_at) OR failing_notified_at < :quietFrom)',
        ExpressionAttributeValues: {
          ':at': at,
          ':quietFrom': new Date(Date.parse(at) - quietMs).toISOString(),
        },
      }),
    );
  }

  async recordOutcomes(tenantId: string, webhookId: string, tally: OutcomeTally): Promise<void> {
    const sets = ['last_triggered_at = :at', 'updated_at = :at'];
    const values: Record<string, unknown> = {
      ':at': tally.last_at,
      ':s': tally.successes,
      ':f': tally.failures,
    };
    let remove = '';
    if (tally.failing_from === undefined) remove = ' REMOVE failing_since';
    else {
      // A success in this batch ended any older streak; otherwise an older streak goes on.
      sets.push(
        tally.successes > 0 ? 'failing_since = :from' : 'failing_since = if_not_exists(failing_since, :from)',
      );
      values[':from'] = tally.failing_from;
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: webhookKey(tenantId, webhookId),
          UpdateExpression: `SET ${sets.join(', ')} ADD delivery_success_count :s, delivery_failure_count :f${remove}`,
          // A write that arrives after a newer one (another batch) must not rewind the time.
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(last_triggered_at) OR last_triggered_at <= :at)',
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Older than what is recorded: count it, leave the times and the failing streak alone.
      await this.db
        .send(
          new UpdateCommand({
            TableName: this.table,
            Key: webhookKey(tenantId, webhookId),
            UpdateExpression: 'ADD delivery_success_count :s, delivery_failure_count :f',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':s': tally.successes, ':f': tally.failures },
          }),
        )
        .catch((again) => {
          if (!isConditionFailure(again)) throw again;
        });
    }
  }

  async recordOutcome(
    tenantId: string,
    webhookId: string,
    outcome: { success: boolean; at: string; disable?: string },
  ): Promise<Webhook | undefined> {
    const counter = outcome.success ? 'delivery_success_count' : 'delivery_failure_count';
    const sets = ['last_triggered_at = :at', 'updated_at = :at'];
    const values: Record<string, unknown> = { ':at': outcome.at, ':one': 1 };
    let remove = '';
    if (outcome.success) remove = ' REMOVE failing_since';
    else sets.push('failing_since = if_not_exists(failing_since, :at)');
    if (outcome.disable) {
      sets.push('active = :false', 'disabled_reason = :reason');
      values[':false'] = false;
      values[':reason'] = outcome.disable;
    }
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: webhookKey(tenantId, webhookId),
          UpdateExpression: `SET ${sets.join(', ')} ADD ${counter} :one${remove}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? toWebhook(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}
