import type {
  ArchivedBody,
  InboundMessage,
  InboundRequest,
  Source,
  SourceRoute,
  SourceSecret,
} from './models.js';

export type SourcePatch = Partial<Pick<Source, 'name' | 'forward' | 'config'>>;

/** Sources, always scoped by tenant, and the token lookup the ingestion function makes. */
export interface SourceStore {
  create(source: Source, secrets: readonly SourceSecret[]): Promise<void>;
  get(tenantId: string, sourceId: string): Promise<Source | undefined>;
  list(tenantId: string): Promise<Source[]>;
  update(tenantId: string, sourceId: string, patch: SourcePatch, now: string): Promise<Source>;
  delete(tenantId: string, sourceId: string): Promise<boolean>;
  /** The source's secrets as they are now (a strongly consistent read). */
  secrets(tenantId: string, sourceId: string): Promise<readonly SourceSecret[]>;
  /**
   * Replaces the secrets, only if they are still `expected` (what the caller read and built on):
   * false when another change came first, and nothing is written.
   */
  setSecrets(
    tenantId: string,
    sourceId: string,
    secrets: readonly SourceSecret[],
    expected: readonly SourceSecret[],
    now: string,
  ): Promise<boolean>;
  /** The source a token stands for, or undefined. */
  route(token: string): Promise<SourceRoute | undefined>;
  countRejected(tenantId: string, sourceId: string): Promise<void>;
}

export interface RequestPage {
  readonly requests: InboundRequest[];
  readonly next_cursor: string | null;
}

export interface InboundRequestStore {
  get(tenantId: string, requestId: string): Promise<InboundRequest | undefined>;
  /** Writes a new request; false when one with that id exists. */
  create(request: InboundRequest, expiresAt: number): Promise<boolean>;
  countDuplicate(tenantId: string, requestId: string): Promise<void>;
  /** Asks for one more routing; returns the new round. */
  nextRound(tenantId: string, requestId: string): Promise<number>;
  /**
   * Marks a round routed; `archived`, where the processor archived a body that rode in the
   * message, is recorded with it (in the same write).
   */
  markRouted(
    tenantId: string,
    requestId: string,
    round: number,
    routedAt: string,
    archived?: ArchivedBody,
  ): Promise<void>;
  /** Marks it FAILED; `archived` as for `markRouted`. */
  markFailed(tenantId: string, requestId: string, error: string, archived?: ArchivedBody): Promise<void>;
  listBySource(tenantId: string, sourceId: string, limit: number, cursor?: string): Promise<RequestPage>;
}

/** The raw bodies, byte for byte. */
export interface Archive {
  /** Stores the body; returns its URI (`s3://bucket/key`). */
  put(
    key: string,
    body: Buffer,
    contentType: string | undefined,
    headers: Record<string, string>,
  ): Promise<string>;
  /** The object, or `length` bytes of it from `offset` (a ranged read); undefined when it is gone. */
  get(key: string, range?: { readonly offset: number; readonly length: number }): Promise<Buffer | undefined>;
}

export interface InboundQueue {
  /** One FIFO message: ordered within `groupId`, dropped when `deduplicationId` was sent in the last 5 minutes. */
  send(message: InboundMessage, groupId: string, deduplicationId: string): Promise<void>;
}

export interface BusEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

export interface EventBus {
  put(entry: BusEntry): Promise<void>;
}

/** Creates an outbound event for the tenant; false when that event id exists already. */
export interface OutboundEvents {
  create(tenantId: string, event: { id: string; type: string; data: unknown }): Promise<boolean>;
}
