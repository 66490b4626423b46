/** A type a tenant has sent, with a recent event of it as the example. */
export interface EventTypeSample {
  readonly type: string;
  readonly last_seen_at: string;
  readonly example: {
    readonly event_id: string;
    /** The event's data; absent when it was too large to keep as an example. */
    readonly data?: unknown;
  };
}

/** The event types each tenant has sent (the portal's catalog, the endpoint form's choices). */
export interface EventCatalog {
  /** Records that `sample` was accepted: its type, now last seen, and its data as the example. */
  note(tenantId: string, sample: EventTypeSample): Promise<void>;
  /** The tenant's types, by name. */
  list(tenantId: string): Promise<EventTypeSample[]>;
}

/** Data larger than this (as JSON) is not kept as an example. */
export const CATALOG_EXAMPLE_MAX_BYTES = 16 * 1024;
