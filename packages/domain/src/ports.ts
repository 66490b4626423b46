import type { BreakerPolicy } from './breaker.js';
import type { BucketCounts, CounterSize } from './delivery-counters.js';
import type { DeadLetter, DeliveryMessage } from './delivery-message.js';
import type { Lane, LaneMove, LanePolicy } from './lanes.js';
import type {
  Attempt,
  Delivery,
  DeliveryStatus,
  EventStatus,
  Plan,
  SigningSecret,
  StoredEvent,
  Tenant,
  TenantStatus,
  Webhook,
} from './models.js';
import type { PortalCapability } from './portal-sessions.js';

/** Who may call: the admin key, a tenant's API key, or a tenant's portal session. */
export type Scope = 'admin' | 'tenant' | 'portal';

/** What a valid API key or portal session stands for (the authorizer's answer). */
export interface Principal {
  readonly tenant_id: string;
  readonly scopes: readonly Scope[];
  readonly plan: Plan;
  /** The API key's id, or the portal session's. */
  readonly key_id: string;
  /** A portal session's capabilities; absent for keys. */
  readonly capabilities?: readonly PortalCapability[];
}

export interface ApiKeyRecord {
  readonly key_id: string;
  readonly key_hash: string;
  readonly tenant_id: string;
  readonly created_at: string;
  /** The key's last four characters, so people can tell their keys apart. */
  readonly hint?: string;
}

/** What may be shown of a key after it was created: never the key, never its hash. */
export type ApiKeySummary = Pick<ApiKeyRecord, 'key_id' | 'tenant_id' | 'created_at' | 'hint'>;

export interface KeyStore {
  putKey(record: ApiKeyRecord): Promise<void>;
  /** Mirrors the tenant's status and plan where the authorizer can read them. */
  putTenantAccess(tenantId: string, status: TenantStatus, plan: Plan): Promise<void>;
  /** The key's tenant and that tenant's access, or undefined for unknown/revoked keys. */
  resolve(keyHash: string): Promise<{ key: ApiKeyRecord; status: TenantStatus; plan: Plan } | undefined>;
  /** The tenant's live keys, oldest first. */
  listKeys(tenantId: string): Promise<ApiKeySummary[]>;
  /** Deletes the key; false when the tenant has no key with that id. */
  revokeKey(tenantId: string, keyId: string): Promise<boolean>;
}

export interface TenantStore {
  create(tenant: Tenant): Promise<boolean>;
  get(tenantId: string): Promise<Tenant | undefined>;
  update(
    tenantId: string,
    patch: Partial<Pick<Tenant, 'status' | 'plan' | 'default_webhook_id' | 'require_endpoint_verification'>>,
    now: string,
  ): Promise<Tenant>;
}

export type WebhookPatch = Partial<
  Pick<
    Webhook,
    | 'url'
    | 'description'
    | 'events'
    | 'filter'
    | 'active'
    | 'signature_schemes'
    | 'headers'
    | 'rate_limit'
    | 'verification'
    | 'verification_required'
    | 'verified_url'
    | 'verified_at'
    | 'auth'
    | 'tls_client_certificate'
    | 'challenge_error'
    | 'challenge_failures'
    | 'next_challenge_at'
    | 'ordering'
    | 'on_exhausted'
  >
>;

export interface WebhookStore {
  create(webhook: Webhook): Promise<void>;
  get(tenantId: string, webhookId: string): Promise<Webhook | undefined>;
  list(tenantId: string): Promise<Webhook[]>;
  update(tenantId: string, webhookId: string, patch: WebhookPatch, now: string): Promise<Webhook>;
  delete(tenantId: string, webhookId: string): Promise<boolean>;
  /** Counts one attempt's outcome; disables the webhook when `disable` says why. */
  recordOutcome(
    tenantId: string,
    webhookId: string,
    outcome: { success: boolean; at: string; disable?: string },
  ): Promise<Webhook | undefined>;
  /**
   * Marks that the tenant is being told the webhook began failing, unless it was told less
   * than `quietMs` before `at`; true when this call made the mark (and so should tell).
   */
  claimFailingNotice(tenantId: string, webhookId: string, at: string, quietMs: number): Promise<boolean>;
  /**
   * Marks that the tenant is being told the client certificate with this fingerprint nears its
   * end, unless it was told already; true when this call made the mark (and so should tell).
   */
  claimCertificateNotice(tenantId: string, webhookId: string, fingerprint: string): Promise<boolean>;
  /** Counts several attempts' outcomes in one write (a worker batch's, per webhook). */
  recordOutcomes(tenantId: string, webhookId: string, outcomes: OutcomeTally): Promise<void>;
  /**
   * Moves the webhook between lanes (see `laneChange`), under a condition that makes the write
   * happen once however many workers decide it together; false when another was first.
   */
  markLane(
    tenantId: string,
    webhookId: string,
    change: LaneMove,
    nowMs: number,
    policy: LanePolicy,
  ): Promise<boolean>;
  /**
   * Counts an attempt that got no HTTP answer; once `policy.openAfter` have in a row, opens the
   * webhook's breaker (or, after an unanswered probe, opens it again for twice as long).
   */
  noteUnanswered(tenantId: string, webhookId: string, nowMs: number, policy: BreakerPolicy): Promise<void>;
  /** Closes the breaker after an answered attempt: what `noteUnanswered` counted is forgotten. */
  noteAnswered(tenantId: string, webhookId: string): Promise<void>;
  /** Takes the half-open breaker's one probe until `untilMs`; false when another instance holds it. */
  takeProbe(tenantId: string, webhookId: string, nowMs: number, untilMs: number): Promise<boolean>;
}

/** Attempts' outcomes on one webhook, summed up. */
export interface OutcomeTally {
  readonly successes: number;
  readonly failures: number;
  /** The latest attempt's time. */
  readonly last_at: string;
  /**
   * When the latest attempt failed: the first failure after the last success (or the first of
   * all, with no success), when the failing streak began. Absent when the latest succeeded.
   */
  readonly failing_from?: string;
}

/**
 * A webhook's delivery counters, one item per (size, bucket) (delivery-counters.ts): added to
 * by the worker, a batch at a time, and read by the stats.
 */
export interface DeliveryCounterStore {
  /** Adds the counts to the bucket's (an atomic add: concurrent batches never lose a count). */
  add(tenantId: string, webhookId: string, counts: BucketCounts): Promise<void>;
  /** The webhook's buckets of `size` that start in [range.after, range.before), oldest first. */
  read(
    tenantId: string,
    webhookId: string,
    size: CounterSize,
    range: Required<TimeRange>,
  ): Promise<BucketCounts[]>;
}

export interface SecretStore {
  put(tenantId: string, webhookId: string, secrets: readonly SigningSecret[]): Promise<void>;
  /**
   * Makes `current` (a secret and its signing key) the current one; the secrets live now keep
   * signing until their expiry (those without one until `nowMs + overlapMs`), at most `keep`
   * secrets in all, the oldest dropped. Written only if nothing changed the secrets since they
   * were read: `conflict` otherwise.
   */
  rotate(
    tenantId: string,
    webhookId: string,
    current: Omit<SigningSecret, 'expires_at'>,
    nowMs: number,
    overlapMs: number,
    keep: number,
  ): Promise<{ readonly previousExpireAt: string } | 'conflict'>;
  /**
   * Gives the current secret `signingKey` if it has no signing key yet (one made before the
   * `ed25519` scheme existed), and answers the live secrets as they are then. Written only if
   * nothing changed the secrets since they were read: `conflict` otherwise.
   */
  addSigningKey(
    tenantId: string,
    webhookId: string,
    signingKey: string,
    nowMs: number,
  ): Promise<SigningSecret[] | 'conflict'>;
  /** The secrets that sign right now (current first, rotated-out ones still valid after it). */
  get(tenantId: string, webhookId: string, nowMs: number): Promise<SigningSecret[]>;
  listForTenant(tenantId: string, nowMs: number): Promise<Map<string, SigningSecret[]>>;
  delete(tenantId: string, webhookId: string): Promise<void>;
}

export interface NewEvent {
  readonly tenant_id: string;
  readonly event_id: string;
  readonly type: string;
  readonly data: unknown;
  readonly created_at: string;
  readonly webhook_ids: readonly string[];
  readonly ordering_key?: string;
}

/**
 * A time range [after, before): `after` included, `before` excluded, either end open. Times are
 * ISO-8601 in UTC with milliseconds (`Date.prototype.toISOString`), so that they compare as text.
 */
export interface TimeRange {
  readonly after?: string;
  readonly before?: string;
}

export interface EventFilter {
  readonly status?: EventStatus;
  readonly type?: string;
  /** Only events with a delivery to this webhook. */
  readonly webhook_id?: string;
  readonly created?: TimeRange;
  readonly limit: number;
  readonly cursor?: string;
}

export interface EventSummary {
  readonly event_id: string;
  readonly type: string;
  readonly status: EventStatus;
  readonly created_at: string;
  readonly delivery_count: number;
}

export interface EventPage {
  readonly events: EventSummary[];
  readonly next_cursor: string | null;
}

export interface AttemptPage {
  readonly attempts: Attempt[];
  readonly next_cursor: string | null;
}

export interface DeliveryUpdate {
  readonly status: DeliveryStatus;
  readonly attempt_count: number;
  readonly round_attempts: number;
  readonly at: string;
  readonly next_attempt_at?: string;
  readonly last_status_code?: number;
  readonly last_error?: string;
}

/**
 * What a claim did: `settled` the event in the same write; `open`, claimed while another of
 * the event's deliveries (or this one, retrying) is still PENDING, whose own claim settles
 * it; `claimed`, claimed with every delivery final, so `settle` follows; `lost` to another
 * worker.
 */
export type ClaimResult = 'claimed' | 'open' | 'settled' | 'lost';

export interface EventStore {
  /** Stores an accepted event with one PENDING delivery per webhook; false if the id exists. */
  create(event: NewEvent): Promise<boolean>;
  get(tenantId: string, eventId: string): Promise<StoredEvent | undefined>;
  /**
   * The events a list gave (their ids and creation times), in that order, `undefined` for one
   * gone since; eventually consistent (an event's data never changes), up to 100 per request.
   */
  getMany(
    tenantId: string,
    listed: readonly { readonly event_id: string; readonly created_at: string }[],
  ): Promise<(StoredEvent | undefined)[]>;
  getWithAttempts(
    tenantId: string,
    eventId: string,
  ): Promise<{ event: StoredEvent; attempts: Attempt[] } | undefined>;
  /** Events newest first, created in `created` when given. */
  list(tenantId: string, filter: EventFilter): Promise<EventPage>;
  /**
   * Records the outcome of attempt `update.attempt_count` if, and only if, the delivery is
   * PENDING with `update.attempt_count - 1` attempts made: a redelivered message loses
   * (`lost`). Given the event as it was read (`seen`), a final outcome of its last open
   * delivery also settles the event in the same write (`settled`) when nothing else changed
   * the event meanwhile; otherwise the claim alone is made, and says whether a delivery is
   * still open (`open`: its claim will settle the event) or `settle` must follow (`claimed`).
   */
  claimAttempt(
    tenantId: string,
    eventId: string,
    webhookId: string,
    update: DeliveryUpdate,
    seen?: StoredEvent,
  ): Promise<ClaimResult>;
  putAttempt(tenantId: string, attempt: Attempt): Promise<void>;
  /**
   * For a PENDING event whose delivery is held back unattempted (a rate limit, a busy
   * endpoint): lists it through the status index, as an attempt would have, so the PENDING
   * list finds it once the sweeper's mark passes it. No sweep mark: a held message is queued
   * again before the one taken is deleted, so nothing is there for the sweeper to recover.
   * Does nothing once the event is settled.
   */
  markWaiting(tenantId: string, eventId: string): Promise<void>;
  /** Sets the event's status from its deliveries once none is PENDING; idempotent. */
  settle(tenantId: string, eventId: string, now: string): Promise<StoredEvent | undefined>;
  /**
   * Asks for one more attempt of a delivery now: a finished one is reopened, a PENDING one is
   * due now. The attempt asked for is `attempt_count + 1`; `queued` is false when a resend of
   * that same attempt was already asked for (its message is on its way: send no other).
   * Undefined when the event has no such delivery.
   */
  requestResend(
    tenantId: string,
    eventId: string,
    webhookId: string,
    now: string,
  ): Promise<{ readonly attempt: number; readonly queued: boolean } | undefined>;
  /** Moves deliveries in `from` back to PENDING with a fresh schedule; returns those moved. */
  reopen(
    tenantId: string,
    eventId: string,
    from: DeliveryStatus,
    now: string,
    webhookIds?: readonly string[],
  ): Promise<Delivery[]>;
  /**
   * Cancels the PENDING deliveries (those of `webhookIds` only, when given), counting no
   * attempt, `reason` kept as their last error; returns those cancelled.
   */
  cancel(
    tenantId: string,
    eventId: string,
    now: string,
    webhookIds?: readonly string[],
    reason?: string,
  ): Promise<Delivery[]>;
  /** A webhook's attempts, newest first, made in `range` when given. */
  attemptsByWebhook(
    tenantId: string,
    webhookId: string,
    limit: number,
    cursor?: string,
    range?: TimeRange,
  ): Promise<AttemptPage>;
  /** Events of a webhook with a FAILED delivery, created in [since, until). */
  failedForWebhook(tenantId: string, webhookId: string, since: string, until: string): Promise<string[]>;
  countByStatus(tenantId: string, since: string): Promise<Record<EventStatus, number>>;
}

/** The event store's write side: accepting an event, its attempts and outcomes, resends, reopens, cancels. */
export type EventWrites = Pick<
  EventStore,
  'create' | 'claimAttempt' | 'putAttempt' | 'markWaiting' | 'settle' | 'requestResend' | 'reopen' | 'cancel'
>;

/** The event store's query side: an event with its attempts, the lists and the counts. */
export type EventQueries = Omit<EventStore, keyof EventWrites>;

export interface StaleEvent {
  readonly tenant_id: string;
  readonly event_id: string;
}

/** The sweeper's view: events with a delivery overdue for longer than the grace period. */
export interface SweepStore {
  overdue(shard: number, beforeMs: number, limit: number): Promise<StaleEvent[]>;
  /**
   * Sets when the event is next worth a look, or clears it when nothing is pending. A PENDING
   * event given a time goes into the status index (the PENDING list finds it there).
   */
  reschedule(tenantId: string, eventId: string, atMs: number | undefined): Promise<void>;
  /**
   * Records that every PENDING event created before `indexedBeforeMs` is in the status index
   * (its message was taken long enough ago to have been attempted or held); never moves back.
   */
  markSwept(indexedBeforeMs: number): Promise<void>;
}

/** Per-webhook delivery rate (`Webhook.rate_limit`). */
export interface RateLimiter {
  /**
   * Takes one delivery slot of the current second for the webhook: 0 when taken, else the
   * milliseconds until the next second, when the delivery may try again.
   */
  take(tenantId: string, webhookId: string, perSecond: number, nowMs: number): Promise<number>;
}

/** An ordered key that stopped when one of its deliveries was exhausted (`on_exhausted: "pause"`). */
export interface PausedKey {
  readonly ordering_key: string;
  /** The exhausted delivery's event. */
  readonly event_id: string;
  readonly paused_at: string;
}

/** Where ordered webhooks' paused keys are kept, and the receipts of the messages they hold. */
export interface OrderingPauseStore {
  pause(tenantId: string, webhookId: string, paused: PausedKey): Promise<void>;
  get(tenantId: string, webhookId: string, orderingKey: string): Promise<PausedKey | undefined>;
  /**
   * Notes the receipts of the key's messages held while it is paused (released on resume);
   * false when the key was resumed meanwhile (the caller then lets them go itself).
   */
  noteHeld(
    tenantId: string,
    webhookId: string,
    orderingKey: string,
    receiptHandles: readonly string[],
  ): Promise<boolean>;
  /** Ends the pause; returns the receipts it held, or undefined when the key was not paused. */
  resume(tenantId: string, webhookId: string, orderingKey: string): Promise<{ held: string[] } | undefined>;
  /** The webhook's paused keys (at most `limit`), in key order. */
  list(tenantId: string, webhookId: string, limit: number): Promise<PausedKey[]>;
}

/** One message to queue: on a lane after a delay, or at the back of an ordered line. */
export interface OutgoingMessage {
  readonly message: DeliveryMessage;
  readonly delaySeconds: number;
  readonly lane?: Lane;
  /** The ordered line (`orderingGroupOf`) the message waits in; absent, it is unordered. */
  readonly group?: string;
}

export interface DeliveryQueue {
  /**
   * Enqueues messages, each after its delay (seconds, ≤ 900) on its lane (`main` when not
   * given), or, with a `group`, at the back of that ordered line (no delay). Throws if any is
   * not accepted.
   */
  send(messages: readonly OutgoingMessage[]): Promise<void>;
  deadLetter(message: DeadLetter): Promise<void>;
}

/** How far behind a lane's consumer is: the wait of the latest messages it took. */
export interface LaneLag {
  readonly lane: Lane;
  /** Time from a message's due time to its receipt, in ms. */
  readonly lag_ms: number;
  /** When it was reported (epoch ms). */
  readonly reported_at: number;
}

/** Where workers report their lanes' lag and the sweeper reads it. */
export interface LaneLagStore {
  report(lag: LaneLag): Promise<void>;
  read(): Promise<LaneLag[]>;
}

/** What a lane's queue holds right now, as SQS approximates it. */
export interface QueueDepth {
  readonly lane: Lane;
  /** Waiting and visible: a consumer could take them now. */
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

export interface QueueDepths {
  depths(): Promise<QueueDepth[]>;
}
