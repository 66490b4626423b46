import type { HttpSender } from '@hookrelay/delivery';
import type {
  ChallengeQueue,
  Clock,
  DeliveryCounterStore,
  DeliveryQueue,
  EndpointCredentialStore,
  EventStore,
  KeyStore,
  OrderingPauseStore,
  PortalSessionStore,
  SecretStore,
  TenantStore,
  WebhookStore,
} from '@hookrelay/domain';
import type { Archive, InboundQueue, InboundRequestStore, SourceStore } from '@hookrelay/inbound';
import type { Context } from 'aws-lambda';
import type { DestinationPolicy } from './destinations.js';
import type { NotedTypes } from './event-catalog.js';

/** The ports a route works with; the handler builds them once, tests may build their own. */
export interface Deps {
  readonly tenants: TenantStore;
  readonly keys: KeyStore;
  readonly portalSessions: PortalSessionStore;
  readonly webhooks: WebhookStore;
  readonly secrets: SecretStore;
  /** Endpoint credentials: OAuth2 client secrets and client-certificate keys. */
  readonly credentials: EndpointCredentialStore;
  readonly events: EventStore;
  /** The event types each tenant has sent, noted as events are accepted. */
  readonly catalog: NotedTypes;
  /** The delivery counters the worker keeps per webhook and bucket (the stats). */
  readonly counters: DeliveryCounterStore;
  /** How long events, attempts and their counters are kept. */
  readonly retentionDays: number;
  readonly queue: DeliveryQueue;
  /** Where retries of unanswered ownership challenges wait (the worker makes them). */
  readonly challenges?: ChallengeQueue;
  /** The waits before each retry of an unanswered challenge (ms). */
  readonly challengeRetriesMs?: readonly number[];
  /** Ordered webhooks' paused keys, and how their held messages are let go on resume. */
  readonly orderedLine?: {
    readonly pauses: OrderingPauseStore;
    release(receiptHandles: readonly string[]): Promise<void>;
  };
  readonly sender: HttpSender;
  /** The connect-time guard's rules and allow-list, also checked on URLs as they are set. */
  readonly destinations: DestinationPolicy;
  readonly clock: Clock;
  /** How long a rotated-out secret keeps signing. */
  readonly rotationOverlapMs: number;
  /** Largest accepted event body. */
  readonly maxEventBytes: number;
  /** Inbound sources and what they received. */
  readonly inbound: InboundDeps;
  /**
   * Wraps event creation in Powertools idempotency when an Idempotency-Key is sent; `context` is
   * the invocation's, whose remaining time bounds an in-progress record.
   */
  readonly idempotent: <T>(
    fn: (input: IdempotentInput) => Promise<T>,
    context: Context,
  ) => (input: IdempotentInput) => Promise<T>;
}

interface IdempotentInput {
  readonly tenant_id: string;
  readonly idempotency_key: string;
  readonly route: string;
  readonly body: unknown;
}

interface InboundDeps {
  readonly sources: SourceStore;
  readonly requests: InboundRequestStore;
  readonly archive: Archive;
  readonly queue: InboundQueue;
  /** Where `/in/{token}` is served: the ingest API's URL. */
  readonly ingestBaseUrl: string;
}
