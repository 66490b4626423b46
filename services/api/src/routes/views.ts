import {
  type Attempt,
  asksChallenge,
  awaitsVerification,
  maskHeaderValue,
  maskUrl,
  type StoredEvent,
  signsWithEd25519,
  type Tenant,
  type Webhook,
} from '@hookrelay/domain';
import { DEFAULT_SIGNATURE_SCHEMES } from '@hookrelay/signing';

/**
 * A webhook as the API shows it: never a secret or signing key, except the secret in the answer
 * that made it; the public keys (not secrets) of a webhook that signs with ed25519 when given.
 */
export const webhookView = (
  w: Webhook,
  shown: { readonly secret?: string; readonly publicKeys?: readonly string[] } = {},
) => ({
  id: w.id,
  url: maskUrl(w.url),
  ...(w.description !== undefined ? { description: w.description } : {}),
  events: w.events ?? [],
  active: w.active,
  ...(w.disabled_reason ? { disabled_reason: w.disabled_reason } : {}),
  created_at: w.created_at,
  updated_at: w.updated_at,
  delivery_success_count: w.delivery_success_count,
  delivery_failure_count: w.delivery_failure_count,
  ...(w.last_triggered_at ? { last_triggered_at: w.last_triggered_at } : {}),
  lane: w.lane ?? 'main',
  ...(w.lane && w.lane_since ? { lane_since: w.lane_since } : {}),
  signature_schemes: w.signature_schemes ?? DEFAULT_SIGNATURE_SCHEMES,
  headers: Object.fromEntries(Object.entries(w.headers ?? {}).map(([k, v]) => [k, maskHeaderValue(v)])),
  ...(w.rate_limit !== undefined ? { rate_limit: w.rate_limit } : {}),
  ...(w.filter !== undefined ? { filter: w.filter } : {}),
  ordering: w.ordering ?? 'none',
  on_exhausted: w.on_exhausted ?? 'continue',
  ...(signsWithEd25519(w) && shown.publicKeys ? { public_keys: shown.publicKeys } : {}),
  ...(shown.secret ? { secret: shown.secret } : {}),
  ...verificationView(w),
});

const verificationView = (w: Webhook) => {
  if (!asksChallenge(w)) return { verification: 'none' as const };
  const verified = !awaitsVerification(w);
  return {
    verification: 'challenge' as const,
    ...(w.verification_required ? { verification_required: true } : {}),
    verification_status: verified ? ('verified' as const) : ('unverified' as const),
    ...(verified && w.verified_at ? { verified_at: w.verified_at } : {}),
  };
};

export const tenantView = (t: Tenant, target?: Webhook) => ({
  tenant_id: t.tenant_id,
  status: t.status,
  plan: t.plan,
  require_endpoint_verification: t.require_endpoint_verification === true,
  ...(t.default_webhook_id ? { default_webhook_id: t.default_webhook_id } : {}),
  ...(target ? { target_url: maskUrl(target.url) } : {}),
  created_at: t.created_at,
  updated_at: t.updated_at,
});

export const eventView = (event: StoredEvent, attempts: readonly Attempt[]) => ({
  event_id: event.event_id,
  type: event.type,
  status: event.status,
  created_at: event.created_at,
  updated_at: event.updated_at,
  data: event.data,
  ...(event.ordering_key !== undefined ? { ordering_key: event.ordering_key } : {}),
  deliveries: Object.values(event.deliveries).map((d) => ({
    webhook_id: d.webhook_id,
    status: d.status,
    attempt_count: d.attempt_count,
    ...(d.next_attempt_at && d.status === 'PENDING' ? { next_attempt_at: d.next_attempt_at } : {}),
    ...(d.last_status_code !== undefined ? { last_status_code: d.last_status_code } : {}),
    ...(d.last_error ? { last_error: d.last_error } : {}),
    attempts: attempts.filter((a) => a.webhook_id === d.webhook_id),
  })),
});

/** A page of a list, the same way everywhere: `{<name>: [...], next_cursor, has_more}`. */
export const page = <K extends string, T>(name: K, items: readonly T[], nextCursor: string | null) =>
  ({ [name]: items, next_cursor: nextCursor, has_more: nextCursor !== null }) as Record<K, readonly T[]> & {
    next_cursor: string | null;
    has_more: boolean;
  };
