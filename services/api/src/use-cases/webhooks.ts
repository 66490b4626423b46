import {
  type Clock,
  customHeaderProblem,
  customHeadersBytes,
  type EndpointCredentialStore,
  type ErrorDetail,
  filterProblems,
  iso,
  isReservedType,
  MAX_CUSTOM_HEADERS_BYTES,
  maskHeaderValue,
  maskUrl,
  newId,
  newSigningSecret,
  OPERATIONAL_EVENT_TYPES,
  type SecretStore,
  type TenantStore,
  typeFilterMatches,
  ValidationError,
  type Webhook,
  type WebhookPatch,
  type WebhookStore,
} from '@hookrelay/domain';
import { publicKeyOf } from '@hookrelay/signing';
import { assertCallableDestination, type DestinationPolicy } from '../destinations.js';
import { trustChangeOf } from './endpoint-trust.js';
import type { CreateWebhook, PatchWebhook } from './webhook-bodies.js';

export type { CreateWebhook, PatchWebhook } from './webhook-bodies.js';

export const MAX_WEBHOOKS_PER_TENANT = 50;

interface WebhookPorts {
  readonly webhooks: Pick<WebhookStore, 'create' | 'list'>;
  readonly secrets: Pick<SecretStore, 'put'>;
  /** Where an OAuth2 client secret or a client-certificate key goes; needed only when the body has one. */
  readonly credentials?: Pick<EndpointCredentialStore, 'get' | 'put'>;
  readonly tenants: Pick<TenantStore, 'get'>;
  readonly clock: Clock;
  readonly destinations: DestinationPolicy;
}

/** A name or pattern in the platform's own space must cover at least one of its types. */
const reservedTypeProblems = (events: readonly string[]): ErrorDetail[] =>
  events
    .filter(
      (type) => isReservedType(type) && !OPERATIONAL_EVENT_TYPES.some((t) => typeFilterMatches(type, t)),
    )
    .map((type) => ({
      field: 'events',
      message: `${type} ${type.endsWith('*') ? 'matches none' : 'is not one'} of ${OPERATIONAL_EVENT_TYPES.join(', ')}`,
    }));

/**
 * Custom headers as they are stored, and what is wrong with them: names that are not allowed or
 * given twice (names ignore case), more bytes than all may take together. A masked value sent
 * back (as views show it) keeps the stored one.
 */
const headersOf = (
  sent: Readonly<Record<string, string>>,
  existing?: Webhook,
): { headers: Record<string, string>; problems: ErrorDetail[] } => {
  const headers: Record<string, string> = {};
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  const stored = new Map(Object.entries(existing?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [name, value] of Object.entries(sent)) {
    const problem = customHeaderProblem(name);
    if (problem) problems.push({ field: `headers.${name}`, message: problem });
    else if (seen.has(name.toLowerCase()))
      problems.push({ field: `headers.${name}`, message: 'is given twice (names ignore case)' });
    seen.add(name.toLowerCase());
    const kept = stored.get(name.toLowerCase());
    headers[name] = kept !== undefined && value === maskHeaderValue(kept) ? kept : value;
  }
  if (customHeadersBytes(headers) > MAX_CUSTOM_HEADERS_BYTES) {
    problems.push({
      field: 'headers',
      message: `come to ${customHeadersBytes(headers)} bytes, more than the ${MAX_CUSTOM_HEADERS_BYTES} all custom headers may take together`,
    });
  }
  return { headers, problems };
};

/**
 * The fields of a create or update body as they are stored, checked beyond what the schema
 * says: subscriptions to the platform's own types name real ones, custom header names are
 * allowed ones, a payload filter is a well-formed pattern within its limits, and a masked value
 * sent back (a URL's password, a header's value, as views show them) keeps what is stored
 * instead of overwriting it with the mask.
 */
export const webhookFieldsOf = (
  ports: { readonly destinations: DestinationPolicy },
  body: CreateWebhook | PatchWebhook,
  existing?: Webhook,
): WebhookPatch => {
  // An unchanged URL sent back (masked or not) is not judged again.
  if (
    body.url !== undefined &&
    body.url !== existing?.url &&
    !(existing && body.url === maskUrl(existing.url))
  )
    assertCallableDestination(ports.destinations, 'url', body.url);
  const sentHeaders = body.headers !== undefined ? headersOf(body.headers, existing) : undefined;
  const details = [
    ...reservedTypeProblems(body.events ?? []),
    ...(sentHeaders?.problems ?? []),
    ...(body.filter !== undefined && body.filter !== null ? filterProblems(body.filter) : []),
  ];
  if (details.length > 0) {
    throw new ValidationError(`Invalid request body: ${details[0]?.field} ${details[0]?.message}.`, details);
  }
  const headers = sentHeaders?.headers;
  const url =
    body.url !== undefined && existing && body.url === maskUrl(existing.url) ? existing.url : body.url;
  // A new URL must prove itself again: the endpoint that answered was at the old one.
  const moved = existing !== undefined && url !== undefined && url !== existing.url;
  const fields: WebhookPatch = {
    ...(url !== undefined ? { url } : {}),
    ...(moved
      ? {
          verified_url: undefined,
          verified_at: undefined,
          challenge_error: undefined,
          challenge_failures: undefined,
          next_challenge_at: undefined,
        }
      : {}),
    ...(body.verification !== undefined
      ? { verification: body.verification === 'challenge' ? 'challenge' : undefined }
      : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.events !== undefined ? { events: body.events } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
    ...(body.signature_schemes !== undefined ? { signature_schemes: body.signature_schemes } : {}),
    ...(headers !== undefined ? { headers } : {}),
    // Stored only when not the default: absent means unordered, and continue.
    ...(body.ordering !== undefined ? { ordering: body.ordering === 'per_key' ? 'per_key' : undefined } : {}),
    ...(body.on_exhausted !== undefined
      ? { on_exhausted: body.on_exhausted === 'pause' ? 'pause' : undefined }
      : {}),
  };
  // null clears the limit or the filter: an undefined value in a patch removes the attribute.
  return {
    ...fields,
    ...(body.rate_limit !== undefined ? { rate_limit: body.rate_limit ?? undefined } : {}),
    ...(body.filter !== undefined ? { filter: body.filter ?? undefined } : {}),
  };
};

/**
 * A new webhook, its signing secret, which only this answer shows, and the public key of its
 * ed25519 signing key (the key itself is never shown). Both are stored first, with any endpoint
 * credentials (an OAuth2 client secret, a client-certificate key): a webhook must never exist
 * without what it signs and authenticates with. One place for every way a webhook is made
 * (`POST /v1/webhooks`, a tenant's `target_url`).
 *
 * @example createWebhook({ webhooks, secrets, clock, destinations }, { tenantId: 'acme', body: { url } })
 */
export const createWebhook = async (
  ports: WebhookPorts,
  input: { readonly tenantId: string; readonly body: CreateWebhook },
): Promise<{ webhook: Webhook; secret: string; publicKey: string }> => {
  const { tenantId, body } = input;
  const existing = await ports.webhooks.list(tenantId);
  if (existing.length >= MAX_WEBHOOKS_PER_TENANT) {
    throw new ValidationError(`A tenant can have at most ${MAX_WEBHOOKS_PER_TENANT} webhooks.`);
  }
  const fields = webhookFieldsOf(ports, body);
  const trust = await trustChangeOf(ports, body);
  const tenant = await ports.tenants.get(tenantId);
  const nowMs = ports.clock.now();
  const now = iso(nowMs);
  const webhook: Webhook = {
    ...fields,
    ...trust.patch,
    id: newId('wh', nowMs),
    tenant_id: tenantId,
    url: body.url,
    events: body.events ?? [],
    active: body.active ?? true,
    created_at: now,
    updated_at: now,
    delivery_success_count: 0,
    delivery_failure_count: 0,
    ...(tenant?.require_endpoint_verification ? { verification_required: true as const } : {}),
  };
  const material = newSigningSecret();
  await ports.secrets.put(tenantId, webhook.id, [material]);
  if (trust.credentials) {
    if (!ports.credentials)
      throw new Error('createWebhook: endpoint credentials given, but no store for them');
    await ports.credentials.put(tenantId, webhook.id, trust.credentials);
  }
  await ports.webhooks.create(webhook);
  return { webhook, secret: material.secret, publicKey: publicKeyOf(material.signing_key) };
};
