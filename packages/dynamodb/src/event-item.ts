import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  type Attempt,
  type Delivery,
  type DeliveryStatus,
  type EventStatus,
  type EventSummary,
  eventStatusOf,
  type NewEvent,
  type StoredEvent,
  timeOfId,
} from '@hookrelay/domain';
import { eventKey, eventShard, eventsByStatusPk, parseEventKey } from './keys/data-table.js';

// An event as the data table holds it: one item with its deliveries embedded, under the short
// attribute names of docs/data-model.md.

export type Item = Record<string, unknown>;
export type Key = { pk: string; sk: string };

/**
 * A delivery as the event item holds it. The short names keep an event with a 1 KB payload
 * (compressed) under 1 KB, one write unit per write (docs/data-model.md).
 */
export interface StoredDelivery {
  /** status */
  readonly s: DeliveryStatus;
  /** attempt_count */
  readonly n: number;
  /** round_attempts */
  readonly r: number;
  /** updated_at */
  readonly u: string;
  /** next_attempt_at */
  readonly x?: string;
  /** last_status_code */
  readonly c?: number;
  /** last_error */
  readonly e?: string;
  /** resend_attempt */
  readonly q?: number;
  /** When attempts 1, 2, … were made: the keys of their items; the last is `last_attempt_at`. */
  readonly t?: readonly string[];
}

const toDelivery = (webhookId: string, d: StoredDelivery): Delivery => {
  const last = d.t?.at(-1);
  return {
    webhook_id: webhookId,
    status: d.s,
    attempt_count: d.n,
    round_attempts: d.r,
    updated_at: d.u,
    ...(d.x !== undefined ? { next_attempt_at: d.x } : {}),
    ...(last !== undefined ? { last_attempt_at: last } : {}),
    ...(d.c !== undefined ? { last_status_code: d.c } : {}),
    ...(d.e !== undefined ? { last_error: d.e } : {}),
    ...(d.q !== undefined ? { resend_attempt: d.q } : {}),
  };
};

export const fromDelivery = (d: Delivery, times?: readonly string[]): StoredDelivery => ({
  s: d.status,
  n: d.attempt_count,
  r: d.round_attempts,
  u: d.updated_at,
  ...(d.next_attempt_at !== undefined ? { x: d.next_attempt_at } : {}),
  ...(d.last_status_code !== undefined ? { c: d.last_status_code } : {}),
  ...(d.last_error !== undefined ? { e: d.last_error } : {}),
  ...(d.resend_attempt !== undefined && d.resend_attempt > d.attempt_count ? { q: d.resend_attempt } : {}),
  ...(times?.length ? { t: times } : {}),
});

export const storedDeliveries = (item: Item): Record<string, StoredDelivery> =>
  (item.d as Record<string, StoredDelivery> | undefined) ?? {};

/** The payload compressed (`p`), or as JSON text (`j`) when compressing would not make it smaller. */
const packPayload = (data: unknown): Item => {
  const json = JSON.stringify(data) ?? 'null';
  const packed = deflateRawSync(json);
  return packed.length < Buffer.byteLength(json) ? { p: packed } : { j: json };
};

const unpackPayload = (item: Item): unknown =>
  JSON.parse(
    item.p !== undefined ? inflateRawSync(item.p as Uint8Array).toString('utf8') : (item.j as string),
  );

/** The tenant, id and creation time an event item's key tells. */
export const keyParts = (item: Item) => {
  const parts = parseEventKey(String(item.pk), String(item.sk));
  if (!parts) throw new Error(`not an event item: ${String(item.pk)}`);
  return parts;
};

/**
 * A new event's item: PENDING deliveries due now. No status index entry: a new event is PENDING
 * (found through the time listing until a worker touches it) or DELIVERED (never indexed). No
 * sweep mark: the event's messages were sent before this write (EVENT_COMMIT_WINDOW_MS).
 */
export const newEventItem = (event: NewEvent, expiresAt: number): Item => {
  const deliveries: Record<string, StoredDelivery> = {};
  for (const id of event.webhook_ids) {
    deliveries[id] = { s: 'PENDING', n: 0, r: 0, u: event.created_at, x: event.created_at };
  }
  return {
    ...eventKey(event.tenant_id, event.event_id, event.created_at),
    ty: event.type,
    ...packPayload(event.data),
    st: eventStatusOf(Object.values(deliveries).map((d) => ({ status: d.s }))),
    u: event.created_at,
    d: deliveries,
    ...(event.ordering_key !== undefined ? { ok: event.ordering_key } : {}),
    expires_at: expiresAt,
  };
};

export const toEvent = (item: Item): StoredEvent => {
  const { tenant_id, event_id, created_at } = keyParts(item);
  return {
    tenant_id,
    event_id,
    type: item.ty as string,
    data: unpackPayload(item),
    status: item.st as EventStatus,
    created_at,
    updated_at: item.u as string,
    deliveries: Object.fromEntries(
      Object.entries(storedDeliveries(item)).map(([id, d]) => [id, toDelivery(id, d)]),
    ),
    ...(typeof item.ok === 'string' ? { ordering_key: item.ok } : {}),
  };
};

/** What a list shows of an event; read from the base table or the status index alike. */
export const SUMMARY_ATTRIBUTES = ['pk', 'sk', 'ty', 'st', 'd'] as const;

export const toSummary = (item: Item): EventSummary => {
  const { event_id, created_at } = keyParts(item);
  return {
    event_id,
    type: item.ty as string,
    status: item.st as EventStatus,
    created_at,
    delivery_count: Object.keys(storedDeliveries(item)).length,
  };
};

export const toAttempt = (item: Item): Attempt => {
  const { pk: _p, sk: _s, expires_at: _e, ...rest } = item;
  return rest as unknown as Attempt;
};

/** The time an id made by `newId` tells, as the ISO text events are created with. */
export const createdAtOfId = (eventId: string): string | undefined => {
  const ms = timeOfId(eventId);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

/**
 * The sparse status index holds what people filter for: FAILED, CANCELLED, and PENDING events
 * that have been attempted, held back or reopened. DELIVERED events, and PENDING ones no worker
 * has touched yet, cost it no write (docs/data-model.md).
 */
export const statusIndexPk = (tenantId: string, status: EventStatus, eventId: string): string | undefined =>
  status === 'DELIVERED' ? undefined : eventsByStatusPk(tenantId, status, eventShard(eventId));
