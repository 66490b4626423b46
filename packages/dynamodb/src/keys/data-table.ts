import { createHash } from 'node:crypto';
import { EVENT_INDEX_SHARDS, SWEEP_INDEX_SHARDS } from '@hookrelay/definitions';

// The data table (`platform-data`): every tenant's item starts its key with the tenant, so no
// query can reach across tenants by accident; platform-wide items start with `SYS#` or `SWEEP#`.

const TENANT_PREFIX = 'T#';

/** The tenant's own partition: its tenant item, its webhooks and its event types. */
export const tenantPartitionPk = (tenantId: string): string => `${TENANT_PREFIX}${tenantId}`;
const TENANT_SK = 'TENANT';
export const tenantItemKey = (tenantId: string) => ({ pk: tenantPartitionPk(tenantId), sk: TENANT_SK });

export const WEBHOOK_SK_PREFIX = 'WH#';
export const webhookKey = (tenantId: string, webhookId: string) => ({
  pk: tenantPartitionPk(tenantId),
  sk: `${WEBHOOK_SK_PREFIX}${webhookId}`,
});

/** The event catalog: one item per event type the tenant sent. */
export const EVENT_TYPE_SK_PREFIX = 'ETYPE#';
export const eventTypeKey = (tenantId: string, type: string) => ({
  pk: tenantPartitionPk(tenantId),
  sk: `${EVENT_TYPE_SK_PREFIX}${type}`,
});

const bucket = (id: string, buckets: number): number =>
  createHash('sha1').update(id).digest().readUInt16BE(0) % buckets;

export const eventShard = (eventId: string): number => bucket(eventId, EVENT_INDEX_SHARDS);
/**
 * An event lives in one of its tenant's EVENT_INDEX_SHARDS partitions, under a time-ordered sort
 * key: the base table is the time listing (docs/data-model.md).
 */
export const eventPartitionPk = (tenantId: string, shard: number): string =>
  `${tenantPartitionPk(tenantId)}#S${shard}`;
const eventSk = (createdAt: string, eventId: string): string => `${createdAt}#${eventId}`;
export const eventKey = (tenantId: string, eventId: string, createdAt: string) => ({
  pk: eventPartitionPk(tenantId, eventShard(eventId)),
  sk: eventSk(createdAt, eventId),
});
const EVENT_PARTITION = new RegExp(`^${TENANT_PREFIX}(.+)#S\\d+$`);
/** The tenant of an event's partition key, and the creation time and id of its sort key. */
export const parseEventKey = (
  pk: string,
  sk: string,
): { tenant_id: string; event_id: string; created_at: string } | undefined => {
  const tenant = EVENT_PARTITION.exec(pk)?.[1];
  const cut = sk.indexOf('#');
  if (tenant === undefined || cut < 0) return undefined;
  return { tenant_id: tenant, created_at: sk.slice(0, cut), event_id: sk.slice(cut + 1) };
};
/** Where an event whose id does not tell its creation time (a client's own id) is found. */
export const eventAliasKey = (tenantId: string, eventId: string) => ({
  pk: `${tenantPartitionPk(tenantId)}#ID#${eventId}`,
  sk: 'ID',
});
/** The status index's partition (`gsi2pk`) of the tenant's events in `status`, by event shard. */
export const eventsByStatusPk = (tenantId: string, status: string, shard: number): string =>
  `${tenantPartitionPk(tenantId)}#${status}#S${shard}`;

/**
 * A webhook's attempts are its delivery history, newest last by sort key, spread over the event
 * shards so one busy endpoint is not one partition.
 */
export const attemptPk = (tenantId: string, webhookId: string, shard: number): string =>
  `${tenantPartitionPk(tenantId)}#W#${webhookId}#S${shard}`;
export const attemptSk = (attemptedAt: string, eventId: string, attempt: number): string =>
  `${attemptedAt}#${eventId}#${String(attempt).padStart(5, '0')}`;

/** The sweep index's partition (`sweep_pk`) of one of its SWEEP_INDEX_SHARDS shards. */
export const sweepShardPk = (shard: number): string => `SWEEP#${shard}`;
/** The sweep index's partition of an event. */
export const sweepPkOf = (eventId: string): string => sweepShardPk(bucket(eventId, SWEEP_INDEX_SHARDS));
/** How far back the sweeper's last complete pass put every PENDING event into the status index. */
export const SWEEP_MARK_KEY = { pk: 'SYS#sweep', sk: 'INDEXED' } as const;

/**
 * A webhook's delivery counters of one size (`5m`, `1h`), one item per bucket under its start:
 * a partition per webhook and size, so each takes one write per worker batch, as the webhook's
 * own item does.
 */
export const counterPk = (tenantId: string, webhookId: string, size: string): string =>
  `${tenantPartitionPk(tenantId)}#C#${webhookId}#${size}`;

/** A webhook's delivery counter for one second (rate limit), apart from the tenant's items. */
export const rateWindowKey = (tenantId: string, webhookId: string, second: number) => ({
  pk: `${tenantPartitionPk(tenantId)}#RL#${webhookId}`,
  sk: `S#${second}`,
});

/** A webhook's paused ordering keys (`on_exhausted: "pause"`), one item per key. */
export const orderingPausePk = (tenantId: string, webhookId: string): string =>
  `${tenantPartitionPk(tenantId)}#OP#${webhookId}`;
export const orderingPauseKey = (tenantId: string, webhookId: string, orderingKey: string) => ({
  pk: orderingPausePk(tenantId, webhookId),
  sk: `K#${orderingKey}`,
});

// Platform-wide items (never a tenant's): one per delivery lane, for its consumer's lag.
export const LANES_PK = 'SYS#lanes';
export const laneSk = (lane: string): string => `LANE#${lane}`;
