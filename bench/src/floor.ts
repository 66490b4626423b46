import { createHash, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Agent } from 'undici';
import { request } from 'undici';

/**
 * The floor: the same I/O our ingest and delivery paths do, issued with bare SDK calls and a
 * bare HTTP POST: no Middy, no validation, no ports and adapters, no signing, no document
 * client. What our code costs on top of this is its overhead.
 */

export interface FloorTarget {
  readonly ddb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly dataTable: string;
  readonly secretsTable: string;
  readonly queueUrl: string;
  readonly tenantId: string;
}

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const shard = (id: string, buckets: number) =>
  createHash('sha1').update(id).digest().readUInt16BE(0) % buckets;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** The millisecond in the first ten characters of a ULID-based id such as `evt_01JD6Z…`. */
const ulidTime = (id: string): number => {
  const body = id.slice(id.lastIndexOf('_') + 1, id.lastIndexOf('_') + 11);
  let ms = 0;
  for (const c of body) ms = ms * 32 + CROCKFORD.indexOf(c);
  return ms;
};

/** Ingest: list the tenant's webhooks, store the event with its delivery, enqueue it. */
export const floorIngest = async (t: FloorTarget, data: unknown, type: string): Promise<void> => {
  const hooks = await t.ddb.send(
    new QueryCommand({
      TableName: t.dataTable,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': S(`T#${t.tenantId}`), ':prefix': S('WH#') },
    }),
  );
  const webhookIds = (hooks.Items ?? []).map((i) => (i.sk?.S ?? '').slice(3));
  const eventId = `evt_${randomUUID().replaceAll('-', '')}`;
  const now = new Date().toISOString();
  const deliveries: Record<string, AttributeValue> = {};
  for (const id of webhookIds) {
    deliveries[id] = { M: { s: S('PENDING'), n: N(0), r: N(0), u: S(now), x: S(now) } };
  }
  await t.ddb.send(
    new PutItemCommand({
      TableName: t.dataTable,
      Item: {
        pk: S(`T#${t.tenantId}#S${shard(eventId, 16)}`),
        sk: S(`${now}#${eventId}`),
        ty: S(type),
        p: { B: deflateRawSync(JSON.stringify(data)) },
        st: S('PENDING'),
        u: S(now),
        d: { M: deliveries },
        expires_at: N(Math.floor(Date.now() / 1000) + 30 * 86_400),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  await t.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: t.queueUrl,
      Entries: webhookIds.map((webhookId, i) => ({
        Id: String(i),
        MessageBody: JSON.stringify({
          v: 1,
          tenant_id: t.tenantId,
          event_id: eventId,
          created_at: now,
          webhook_id: webhookId,
          attempt: 1,
        }),
      })),
    }),
  );
};

/**
 * One delivery: read the event, the webhook and its secret, POST the envelope, record the
 * outcome and settle the event in one conditional write (the event's only delivery ends
 * here), and the attempt, as the worker does; the webhook's counters follow per batch.
 */
export const floorDeliver = async (
  t: FloorTarget,
  agent: Agent,
  body: string,
): Promise<{ webhookId: string; at: string }> => {
  const m = JSON.parse(body) as {
    event_id: string;
    created_at?: string;
    webhook_id: string;
    attempt: number;
  };
  // The event's key holds its creation time, which an id made by the API holds too (a ULID).
  const createdAt = m.created_at ?? new Date(ulidTime(m.event_id)).toISOString();
  const eventKey = {
    pk: S(`T#${t.tenantId}#S${shard(m.event_id, 16)}`),
    sk: S(`${createdAt}#${m.event_id}`),
  };
  const webhookKey = { pk: S(`T#${t.tenantId}`), sk: S(`WH#${m.webhook_id}`) };
  const event = (
    await t.ddb.send(new GetItemCommand({ TableName: t.dataTable, Key: eventKey, ConsistentRead: true }))
  ).Item;
  const webhook = (await t.ddb.send(new GetItemCommand({ TableName: t.dataTable, Key: webhookKey }))).Item;
  await t.ddb.send(
    new GetItemCommand({
      TableName: t.secretsTable,
      Key: { tenant_id: S(t.tenantId), webhook_id: S(m.webhook_id) },
    }),
  );
  if (!event || !webhook?.url?.S) throw new Error(`floor: no event or webhook for ${m.event_id}`);
  const envelope = JSON.stringify({
    id: m.event_id,
    type: event.ty?.S,
    timestamp: createdAt,
    data: JSON.parse(event.p?.B ? inflateRawSync(event.p.B).toString() : 'null'),
  });
  const started = Date.now();
  const res = await request(webhook.url.S, {
    method: 'POST',
    body: envelope,
    headers: { 'content-type': 'application/json', 'webhook-id': m.event_id },
    dispatcher: agent,
  });
  const response = await res.body.text();
  const at = new Date().toISOString();
  await t.ddb.send(
    new UpdateItemCommand({
      TableName: t.dataTable,
      Key: eventKey,
      UpdateExpression:
        'SET d.#w.s = :done, d.#w.n = :n, d.#w.u = :at, d.#w.t = :times, d.#w.c = :code, u = :at, st = :done REMOVE d.#w.x',
      ConditionExpression: 'd.#w.s = :pending AND d.#w.n = :prev AND u = :seen',
      ExpressionAttributeNames: { '#w': m.webhook_id },
      ExpressionAttributeValues: {
        ':done': S('DELIVERED'),
        ':pending': S('PENDING'),
        ':n': N(m.attempt),
        ':prev': N(m.attempt - 1),
        ':at': S(at),
        ':times': { L: [S(at)] },
        ':code': N(res.statusCode),
        ':seen': event.u ?? S(at),
      },
    }),
  );
  await t.ddb.send(
    new PutItemCommand({
      TableName: t.dataTable,
      Item: {
        pk: S(`T#${t.tenantId}#W#${m.webhook_id}#S${shard(m.event_id, 16)}`),
        sk: S(`${at}#${m.event_id}#${String(m.attempt).padStart(5, '0')}`),
        event_id: S(m.event_id),
        webhook_id: S(m.webhook_id),
        attempt: N(m.attempt),
        attempted_at: S(at),
        duration_ms: N(Date.now() - started),
        outcome: S('success'),
        status_code: N(res.statusCode),
        response: S(response.slice(0, 1000)),
        expires_at: N(Math.floor(Date.now() / 1000) + 30 * 86_400),
      },
    }),
  );
  return { webhookId: m.webhook_id, at };
};

/** The webhook's counters for a batch's deliveries, one write per batch, as the worker does. */
export const floorCountBatch = async (t: FloorTarget, webhookId: string, successes: number, at: string) => {
  await t.ddb.send(
    new UpdateItemCommand({
      TableName: t.dataTable,
      Key: { pk: S(`T#${t.tenantId}`), sk: S(`WH#${webhookId}`) },
      UpdateExpression: 'SET last_triggered_at = :at, updated_at = :at ADD delivery_success_count :n',
      ExpressionAttributeValues: { ':at': S(at), ':n': N(successes) },
    }),
  );
};
