import { createHash } from 'node:crypto';
import { EVENT_INDEX_SHARDS, SWEEP_INDEX_SHARDS } from '@hookrelay/definitions';

// Every key starts with the tenant, so no query can reach across tenants by accident.
export const tenantPk = (tenantId: string): string => `T#${tenantId}`;
export const TENANT_SK = 'TENANT';
export const webhookSk = (webhookId: string): string => `WH#${webhookId}`;
export const WEBHOOK_PREFIX = 'WH#';
const bucket = (id: string, buckets: number): number =>
  createHash('sha1').update(id).digest().readUInt16BE(0) % buckets;

export const eventShard = (eventId: string): number => bucket(eventId, EVENT_INDEX_SHARDS);
/**
 * An event lives in one of its tenant's EVENT_INDEX_SHARDS partitions, under a time-ordered sort
 * key: the base table is the time listing (docs/data-model.md).
 */
export const eventPartitionPk = (tenantId: string, shard: number): string => `T#${tenantId}#S${shard}`;
export const eventSk = (createdAt: string, eventId: string): string => `${createdAt}#${eventId}`;
export const eventKey = (tenantId: string, eventId: string, createdAt: string) => ({
  pk: eventPartitionPk(tenantId, eventShard(eventId)),
  sk: eventSk(createdAt, eventId),
});
/** The tenant of an event's partition key, and the creation time and id of its sort key. */
export const parseEventKey = (
  pk: string,
  sk: string,
): { tenant_id: string; event_id: string; created_at: string } | undefined => {
  const tenant = /^T#(.+)#S\d+$/.exec(pk)?.[1];
  const cut = sk.indexOf('#');
  if (tenant === undefined || cut < 0) return undefined;
  return { tenant_id: tenant, created_at: sk.slice(0, cut), event_id: sk.slice(cut + 1) };
};
/** Where an event whose id does not tell its creation time (a client's own id) is found. */
export const eventAliasPk = (tenantId: string, eventId: string): string => `T#${tenantId}#ID#${eventId}`;
export const EVENT_ALIAS_SK = 'ID';
export const eventsByStatusPk = (tenantId: string, status: string, shard: number): string =>
  `T#${tenantId}#${status}#S${shard}`;
/**
 * A webhook's attempts are its delivery history, newest last by sort key, spread over the event
 * shards so one busy endpoint is not one partition.
 */
export const attemptPk = (tenantId: string, webhookId: string, shard: number): string =>
  `T#${tenantId}#W#${webhookId}#S${shard}`;
export const attemptSk = (attemptedAt: string, eventId: string, attempt: number): string =>
  `${attemptedAt}#${eventId}#${String(attempt).padStart(5, '0')}`;
export const sweepPk = (eventId: string): string => `SWEEP#${bucket(eventId, SWEEP_INDEX_SHARDS)}`;
export const sweepShardPk = (shard: number): string => `SWEEP#${shard}`;

/**
 * A webhook's delivery counters of one size (`5m`, `1h`), one item per bucket under its start:
 * a partition per webhook and size, so each takes one write per worker batch, as the webhook's
 * own item does.
 */
export const counterPk = (tenantId: string, webhookId: string, size: string): string =>
  `T#${tenantId}#C#${webhookId}#${size}`;

/** A webhook's delivery counter for one second (rate limit), apart from the tenant's items. */
export const rateWindowPk = (tenantId: string, webhookId: string): string => `T#${tenantId}#RL#${webhookId}`;
export const rateWindowSk = (second: number): string => `S#${second}`;

export const keyPk = (keyHash: string): string => `KEY#${keyHash}`;
export const tenantAccessPk = (tenantId: string): string => `TENANT#${tenantId}`;
export const portalSessionPk = (sessionId: string): string => `PSESSION#${sessionId}`;

// Platform-wide items (never a tenant's): one per delivery lane, for its consumer's lag.
export const LANES_PK = 'SYS#lanes';
export const laneSk = (lane: string): string => `LANE#${lane}`;
/** How far back the sweeper's last complete pass put every PENDING event into the status index. */
export const SWEEP_MARK_PK = 'SYS#sweep';
export const SWEEP_MARK_SK = 'INDEXED';

/** A webhook's paused ordering keys (`on_exhausted: "pause"`), one item per key. */
export const orderingPausePk = (tenantId: string, webhookId: string): string =>
  `T#${tenantId}#OP#${webhookId}`;
export const orderingPauseSk = (orderingKey: string): string => `K#${orderingKey}`;
