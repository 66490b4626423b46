import type { HmacConfig, Provider } from './verifiers/index.js';

/** A tenant's inbound source: where one provider's webhooks arrive (`/in/{token}`). */
export interface Source {
  readonly id: string;
  readonly tenant_id: string;
  readonly name: string;
  readonly provider: Provider;
  readonly config?: HmacConfig;
  readonly forward: boolean;
  /** The unguessable path segment of the ingest URL. */
  readonly token: string;
  readonly created_at: string;
  readonly updated_at: string;
  /** Requests refused (bad signature, stale, missing header, too large). */
  readonly rejected_count: number;
}

export interface SourceSecret {
  readonly secret: string;
  /** Set on a rotated-out secret: it verifies until then (ms). */
  readonly expires_at?: number;
}

/** What the ingestion function reads for a token: enough to verify and enqueue, in one read. */
export interface SourceRoute {
  readonly token: string;
  readonly tenant_id: string;
  readonly source_id: string;
  readonly provider: Provider;
  readonly config?: HmacConfig;
  readonly forward: boolean;
  readonly secrets: readonly SourceSecret[];
}

export const INBOUND_STATUSES = ['RECEIVED', 'ROUTED', 'FAILED'] as const;
type InboundStatus = (typeof INBOUND_STATUSES)[number];

/**
 * Where a request's raw body is archived: the object `s3_key` (`s3_uri`), and, when the object
 * holds a batch's bodies, the offset of this one in it (its length is the request's `size`).
 */
export interface ArchivedBody {
  readonly s3_key: string;
  readonly s3_uri: string;
  /** Absent when the object is this body alone (a body too large to ride in the message). */
  readonly s3_offset?: number;
}

/**
 * One received request: the metadata; the raw body is in the archive at `s3_key` (from `s3_offset`,
 * `size` bytes), or, while a body that rides in the FIFO message is not routed yet, only there.
 */
export interface InboundRequest {
  readonly id: string;
  readonly tenant_id: string;
  readonly source_id: string;
  readonly provider: Provider;
  readonly received_at: string;
  readonly provider_event_id?: string;
  readonly type: string;
  readonly status: InboundStatus;
  readonly routed_at?: string;
  readonly size: number;
  /** Set at ingest for a body too large to ride in the message, else when the request is processed. */
  readonly s3_key?: string;
  readonly s3_uri?: string;
  readonly s3_offset?: number;
  readonly content_type?: string;
  /** The headers that matter to verify or read the request again (never our API keys). */
  readonly headers: Readonly<Record<string, string>>;
  /** The same delivery received again (a provider's retry). */
  readonly duplicate_count: number;
  /** Routings asked for: 0 at first, one more per replay. */
  readonly round: number;
  /** The last round that was routed. */
  readonly routed_round?: number;
  readonly forward: boolean;
  readonly error?: string;
}

/** The FIFO message: which request to route, and for which round. */
export interface InboundMessage {
  readonly v: 1;
  readonly tenant_id: string;
  readonly source_id: string;
  readonly request_id: string;
  readonly round: number;
  /**
   * The raw body, base64, when the message stays one billed SQS request with it (a body up to
   * `INLINE_BODY_MAX_BYTES`). Such a body is not archived at ingest: the processor writes the
   * bodies of each batch it receives into one object per tenant, and records where each is when
   * it marks the request routed. A replay's message never carries it.
   */
  readonly body?: string;
}

/** Bodies up to this size travel in the FIFO message too: base64 and the rest stay under 64 KB. */
export const INLINE_BODY_MAX_BYTES = 48 * 1024;

/** Where a request's body is archived, or undefined while it is not (it is still in its message). */
export const archivedBody = (request: InboundRequest): ArchivedBody | undefined =>
  request.s3_key !== undefined && request.s3_uri !== undefined
    ? {
        s3_key: request.s3_key,
        s3_uri: request.s3_uri,
        ...(request.s3_offset === undefined ? {} : { s3_offset: request.s3_offset }),
      }
    : undefined;

/**
 * The HTTP range of a request's body in its archive object (`Range` of an S3 `GetObject`), or
 * undefined for an empty body (no range names zero bytes).
 *
 * @example
 * archiveRange({ s3_offset: 1024 }, 10) // 'bytes=1024-1033'
 */
export const archiveRange = (archived: Pick<ArchivedBody, 's3_offset'>, size: number): string | undefined =>
  size > 0 ? `bytes=${archived.s3_offset ?? 0}-${(archived.s3_offset ?? 0) + size - 1}` : undefined;

/**
 * The message as it is written on the queue. On the wire the request id keeps its first name,
 * `webhook_id`: messages wait in the queue and its DLQ for days, across deploys, so the name on
 * the wire is stored data like the table's attributes.
 *
 * @example
 * serializeInboundMessage({ v: 1, tenant_id: 'acme', source_id: 'src_1', request_id: 'iwh_1', round: 0 })
 * // '{"v":1,"tenant_id":"acme","source_id":"src_1","webhook_id":"iwh_1","round":0}'
 */
export const serializeInboundMessage = (message: InboundMessage): string => {
  const { v, tenant_id, source_id, request_id, round, body } = message;
  return JSON.stringify({ v, tenant_id, source_id, webhook_id: request_id, round, body });
};

/** The message a queue body holds (as `serializeInboundMessage` wrote it), or undefined. */
export const parseInboundMessage = (body: string): InboundMessage | undefined => {
  try {
    const m = JSON.parse(body) as Partial<Omit<InboundMessage, 'request_id'>> & { webhook_id?: unknown };
    if (
      m.v === 1 &&
      typeof m.tenant_id === 'string' &&
      typeof m.source_id === 'string' &&
      typeof m.webhook_id === 'string' &&
      typeof m.round === 'number' &&
      (m.body === undefined || typeof m.body === 'string')
    ) {
      return {
        v: 1,
        tenant_id: m.tenant_id,
        source_id: m.source_id,
        request_id: m.webhook_id,
        round: m.round,
        ...(m.body === undefined ? {} : { body: m.body }),
      };
    }
  } catch {
    // not ours
  }
  return undefined;
};

/**
 * The request id's old name, `webhook_id`, still sent beside `request_id` for one release
 * wherever the id goes out: the ingest and replay answers and the bus event's detail.
 */
export const REQUEST_ID_ALIASES = { webhook_id: 'request_id' } as const;

/**
 * The request id under its name and, for one release, under its old one.
 *
 * @example
 * requestIdFields('iwh_1') // { request_id: 'iwh_1', webhook_id: 'iwh_1' }
 */
export const requestIdFields = (id: string): { readonly request_id: string } & Record<string, string> => ({
  request_id: id,
  ...Object.fromEntries(Object.keys(REQUEST_ID_ALIASES).map((old) => [old, id])),
});
