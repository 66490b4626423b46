import type { EventPattern } from '@hookrelay/event-patterns';
import type { SignatureScheme } from '@hookrelay/signing/schemes';

export type TenantStatus = 'active' | 'disabled';
export type Plan = 'free' | 'starter' | 'pro' | 'enterprise';
export const PLANS: readonly Plan[] = ['free', 'starter', 'pro', 'enterprise'];

export interface Tenant {
  readonly tenant_id: string;
  readonly status: TenantStatus;
  readonly plan: Plan;
  readonly default_webhook_id?: string;
  /**
   * Every one of the tenant's webhooks must answer the ownership challenge, whatever its own
   * `verification` says. Written down on each webhook too (`verification_required`), so that the
   * fan-out, which reads the webhooks anyway, never reads the tenant.
   */
  readonly require_endpoint_verification?: boolean;
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
  /**
   * An EventBridge event pattern over `{type, id, data}`: of the events its types cover, the
   * webhook gets only those it matches. Absent: every one (and nothing is matched).
   */
  readonly filter?: EventPattern;
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
  /** Signature headers on every delivery; absent means `["standard", "stripe"]`. */
  readonly signature_schemes?: readonly SignatureSchemeName[];
  /** Sent on every delivery; values may be credentials and are never shown in full. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Deliveries per second at most; absent means no limit (and no limiter is consulted). */
  readonly rate_limit?: number;
  /** When the platform last told the tenant this endpoint began failing (at most hourly). */
  readonly failing_notified_at?: string;
  /** Attempts in a row that got no HTTP answer; absent while the endpoint answers (breaker.ts). */
  readonly unanswered?: number;
  /** While the breaker is open, deliveries wait unattempted until this time. */
  readonly parked_until?: string;
  /** Once it has passed `parked_until`, the one probe in flight holds the breaker until this time. */
  readonly probe_until?: string;
  /**
   * `challenge`: the webhook gets deliveries only once its endpoint has answered an ownership
   * challenge for the URL it has now; absent means no such proof is asked for.
   */
  readonly verification?: 'challenge';
  /**
   * Set while the tenant requires the challenge of all its webhooks: the webhook must answer it
   * even when its own `verification` does not ask (which is kept, and counts again once the
   * tenant no longer requires it).
   */
  readonly verification_required?: true;
  /** The URL whose endpoint last answered the challenge; any other URL is unverified. */
  readonly verified_url?: string;
  /** When the endpoint at `verified_url` answered. */
  readonly verified_at?: string;
  /** While unverified: why the latest challenge was not answered. */
  readonly challenge_error?: string;
  /** While unverified: challenges in a row that were not answered. */
  readonly challenge_failures?: number;
  /** While unverified: when the platform challenges the endpoint again; absent once it gave up. */
  readonly next_challenge_at?: string;
  /** How deliveries authenticate to the endpoint beyond the signatures (the secret is stored apart). */
  readonly auth?: EndpointAuth;
  /** The client certificate presented on https deliveries (its private key is stored apart). */
  readonly tls_client_certificate?: ClientCertificate;
  /** The fingerprint of the certificate the tenant was last told nears its end. */
  readonly certificate_notified?: string;
  /**
   * `per_key`: deliveries of events that share an `ordering_key` are made one at a time, in the
   * order the events were accepted (docs/delivery.md); absent means unordered.
   */
  readonly ordering?: 'per_key';
  /** `pause`: an ordered key whose delivery is exhausted stops until resumed; absent means continue. */
  readonly on_exhausted?: 'pause';
}

/**
 * OAuth2 client credentials (RFC 6749 section 4.4): the worker gets a token from `token_url` and
 * sends it as `Authorization: Bearer`. The client secret lives with the webhook's other
 * credentials (`EndpointCredentialStore`), never on the webhook.
 */
export interface EndpointAuth {
  readonly type: 'oauth2_client_credentials';
  readonly token_url: string;
  readonly client_id: string;
  readonly scope?: string;
  /** How the client authenticates to the token endpoint; absent means `client_secret_basic`. */
  readonly client_authentication?: ClientAuthentication;
  /** Changes whenever the credentials do: tokens are cached per version, so old ones are never used. */
  readonly credentials_id: string;
}

export const CLIENT_AUTHENTICATIONS = ['client_secret_basic', 'client_secret_post'] as const;
type ClientAuthentication = (typeof CLIENT_AUTHENTICATIONS)[number];

/** A client certificate for mutual TLS, as described when it was set; the key is stored apart. */
export interface ClientCertificate {
  /** The certificate (PEM), with any intermediates after it. */
  readonly certificate: string;
  /** A CA (PEM) trusted for the endpoint's server certificate besides the public roots. */
  readonly ca_certificate?: string;
  readonly subject: string;
  readonly issuer: string;
  /** SHA-256 of the certificate (DER), colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it. */
  readonly fingerprint_sha256: string;
  readonly not_before: string;
  readonly not_after: string;
  readonly credentials_id: string;
}

/** How a webhook's endpoint proves it wants the deliveries: `none`, or by answering a challenge. */
export const VERIFICATION_MODES = ['none', 'challenge'] as const;

/** The type of the signed request that carries an ownership challenge (never an event of the tenant's). */
export const ENDPOINT_VERIFICATION_TYPE = 'hookrelay.endpoint.verification';

/** Whether the webhook must answer the challenge: it asks for it, or its tenant requires it. */
export const asksChallenge = (webhook: Pick<Webhook, 'verification' | 'verification_required'>): boolean =>
  webhook.verification === 'challenge' || webhook.verification_required === true;

/**
 * Whether the webhook must still prove it owns its URL: it must answer the challenge and its
 * endpoint has not answered one for the URL it has now (a URL change leaves it unverified).
 */
export const awaitsVerification = (
  webhook: Pick<Webhook, 'verification' | 'verification_required' | 'verified_url' | 'url'>,
): boolean => asksChallenge(webhook) && webhook.verified_url !== webhook.url;

/** Names of the signature schemes: the signing package implements and lists them. */
type SignatureSchemeName = SignatureScheme;

/** One live set of signing material of a webhook: made together, rotated together. */
export interface SigningSecret {
  /** The `whsec_` secret of the HMAC schemes. */
  readonly secret: string;
  /**
   * The `whsk_` ed25519 signing key of the `ed25519` scheme (only its `whpk_` public key is ever
   * shown); absent on secrets made before the scheme existed.
   */
  readonly signing_key?: string;
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
  /** Given up unanswered on the main lane after its budget, and handed to the slow lane. */
  | 'abandoned'
  /** No token from the webhook's OAuth2 token endpoint, so the endpoint was not called. */
  | 'auth_token'
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
  /** The attempt a resend asked for and queued, until an attempt is recorded past it. */
  readonly resend_attempt?: number;
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
  /** Deliveries to webhooks with `ordering: "per_key"` wait their turn in this key's line. */
  readonly ordering_key?: string;
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

/** Types the platform sends about a tenant's endpoints; a tenant cannot send them. */
export const OPERATIONAL_EVENT_TYPES = [
  'hookrelay.endpoint.disabled',
  'hookrelay.endpoint.enabled',
  'hookrelay.delivery.exhausted',
  'hookrelay.endpoint.failing',
  'hookrelay.endpoint.certificate_expiring',
] as const;
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];
export const RESERVED_TYPE_PREFIX = 'hookrelay.';

/** The platform's own types, in any case: `HookRelay.endpoint.disabled` is reserved too. */
export const isReservedType = (type: string): boolean => type.toLowerCase().startsWith(RESERVED_TYPE_PREFIX);

/**
 * An entry of a webhook's `events`: an event type, or a prefix followed by one trailing `*`
 * (`order.*`, or `*` alone) that covers every type starting with that prefix.
 */
export const TYPE_FILTER_PATTERN = /^(?:[A-Za-z0-9._:-]{1,128}|[A-Za-z0-9._:-]{0,127}\*)$/;

/**
 * Whether one `events` entry covers a type. A pattern covers the platform's own types only when
 * its prefix starts with `hookrelay.`: `*` or `hook*` never subscribe to them by accident.
 *
 * @example
 * typeFilterMatches('order.*', 'order.paid') // true
 * typeFilterMatches('*', 'hookrelay.endpoint.disabled') // false
 */
export const typeFilterMatches = (filter: string, type: string): boolean => {
  if (!filter.endsWith('*')) return filter === type;
  const prefix = filter.slice(0, -1);
  if (!type.startsWith(prefix)) return false;
  return !isReservedType(type) || prefix.startsWith(RESERVED_TYPE_PREFIX);
};
