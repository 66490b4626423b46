export type TenantStatus = 'active' | 'disabled';
export type Plan = 'free' | 'starter' | 'pro' | 'enterprise';
export const PLANS: readonly Plan[] = ['free', 'starter', 'pro', 'enterprise'];

export interface Tenant {
  readonly tenant_id: string;
  readonly status: TenantStatus;
  readonly plan: Plan;
  readonly default_webhook_id?: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface Webhook {
  readonly id: string;
  readonly tenant_id: string;
  readonly url: string;
  readonly description?: string;
  /** Event types this webhook receives; absent or empty means every type. */
  readonly events?: readonly string[];
  readonly active: boolean;
  readonly disabled_reason?: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly delivery_success_count: number;
  readonly delivery_failure_count: number;
  readonly last_triggered_at?: string;
  /** When the current run of consecutive failures began; cleared by any success. */
  readonly failing_since?: string;
  /** `slow` while the endpoint is quarantined in the slow lane; absent on the main lane. */
  readonly lane?: 'slow';
  /** When the endpoint last moved to the slow lane. */
  readonly lane_since?: string;
  /** The latest slow attempt written down while in the slow lane (renewed at most every 30 s). */
  readonly slow_seen_at?: string;
}

export interface SigningSecret {
  readonly secret: string;
  /** A rotated-out secret keeps signing until this time (ISO-8601). */
  readonly expires_at?: string;
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED' | 'CANCELLED';
export type EventStatus = DeliveryStatus;
export const EVENT_STATUSES: readonly EventStatus[] = ['PENDING', 'DELIVERED', 'FAILED', 'CANCELLED'];

export type ErrorKind =
  | 'timeout'
  | 'dns'
  | 'refused'
  | 'reset'
  | 'tls'
  | 'blocked'
  | 'http'
  | 'redirect'
  | 'other';

export interface Delivery {
  readonly webhook_id: string;
  readonly status: DeliveryStatus;
  /** Attempts made over the delivery's whole life, across manual retries. */
  readonly attempt_count: number;
  /** Attempts made since the current schedule began (reset by retry/requeue). */
  readonly round_attempts: number;
  readonly next_attempt_at?: string;
  readonly last_attempt_at?: string;
  readonly last_status_code?: number;
  readonly last_error?: string;
  readonly updated_at: string;
}

export interface StoredEvent {
  readonly tenant_id: string;
  readonly event_id: string;
  readonly type: string;
  readonly data: unknown;
  readonly status: EventStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly deliveries: Readonly<Record<string, Delivery>>;
}

export interface Attempt {
  readonly event_id: string;
  readonly webhook_id: string;
  readonly attempt: number;
  readonly attempted_at: string;
  readonly status_code?: number;
  readonly duration_ms: number;
  readonly outcome: 'success' | 'failure';
  readonly error_kind?: ErrorKind;
  /** The first 1,000 characters of the response body. */
  readonly response?: string;
}

/** The body every receiver gets. */
export interface EventEnvelope {
  readonly id: string;
  readonly type: string;
  readonly timestamp: string;
  readonly data: unknown;
}

export const envelopeOf = (
  event: Pick<StoredEvent, 'event_id' | 'type' | 'created_at' | 'data'>,
): EventEnvelope => ({
  id: event.event_id,
  type: event.type,
  timestamp: event.created_at,
  data: event.data,
});

export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const webhookMatches = (webhook: Pick<Webhook, 'active' | 'events'>, type: string): boolean =>
  webhook.active && (!webhook.events || webhook.events.length === 0 || webhook.events.includes(type));
