import { createHash } from 'node:crypto';
import { EVENT_INDEX_SHARDS, SWEEP_INDEX_SHARDS } from '@hookrelay/definitions';

// Every key starts with the tenant, so no query can reach across tenants by accident.
export const tenantPk = (tenantId: string): string => `T#${tenantId}`;
export const TENANT_SK = 'TENANT';
export const webhookSk = (webhookId: string): string => `WH#${webhookId}`;
export const WEBHOOK_PREFIX = 'WH#';
export const eventPk = (tenantId: string, eventId: string): string => `T#${tenantId}#E#${eventId}`;
export const EVENT_SK = 'EVENT';
export const attemptSk = (webhookId: string, attempt: number): string =>
  `A#${webhookId}#${String(attempt).padStart(5, '0')}`;
export const ATTEMPT_PREFIX = 'A#';

const bucket = (id: string, buckets: number): number =>
  createHash('sha1').update(id).digest().readUInt16BE(0) % buckets;

export const eventShard = (eventId: string): number => bucket(eventId, EVENT_INDEX_SHARDS);
export const eventsByTimePk = (tenantId: string, shard: number): string => `T#${tenantId}#S${shard}`;
export const eventsByStatusPk = (tenantId: string, status: string, shard: number): string =>
  `T#${tenantId}#${status}#S${shard}`;
export const eventIndexSk = (createdAt: string, eventId: string): string => `${createdAt}#${eventId}`;
/** A webhook's attempts, spread over the event shards so one busy endpoint is not one partition. */
export const attemptsByWebhookPk = (tenantId: string, webhookId: string, shard: number): string =>
  `T#${tenantId}#W#${webhookId}#S${shard}`;
export const attemptIndexSk = (attemptedAt: string, eventId: string, attempt: number): string =>
  `${attemptedAt}#${eventId}#${String(attempt).padStart(5, '0')}`;
export const sweepPk = (eventId: string): string => `SWEEP#${bucket(eventId, SWEEP_INDEX_SHARDS)}`;
export const sweepShardPk = (shard: number): string => `SWEEP#${shard}`;

/** A webhook's delivery counter for one second (rate limit), apart from the tenant's items. */
export const rateWindowPk = (tenantId: string, webhookId: string): string => `T#${tenantId}#RL#${webhookId}`;
export const rateWindowSk = (second: number): string => `S#${second}`;

export const keyPk = (keyHash: string): string => `KEY#${keyHash}`;
export const tenantAccessPk = (tenantId: string): string => `TENANT#${tenantId}`;

// Platform-wide items (never a tenant's): one per delivery lane, for its consumer's lag.
export const LANES_PK = 'SYS#lanes';
export const laneSk = (lane: string): string => `LANE#${lane}`;
/** How far back the sweeper's last complete pass put every PENDING event into the status index. */
export const SWEEP_MARK_PK = 'SYS#sweep';
export const SWEEP_MARK_SK = 'INDEXED';
