import { createHash } from 'node:crypto';
import type { InboundArchiveMode } from '@hookrelay/definitions';
import {
  type Clock,
  DomainError,
  iso,
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  ValidationError,
} from '@hookrelay/domain';
import {
  type ArchivedBody,
  INLINE_BODY_MAX_BYTES,
  type InboundMessage,
  type InboundRequest,
  type SourceRoute,
} from './models.js';
import type { Archive, InboundQueue, InboundRequestStore, SourceStore } from './ports.js';
import { type Headers, type Verification, verifyWithAny } from './verifiers/index.js';

export interface IngestDeps {
  readonly sources: SourceStore;
  readonly requests: InboundRequestStore;
  readonly archive: Archive;
  readonly queue: InboundQueue;
  readonly clock: Clock;
  readonly maxBodyBytes: number;
  /** When a body that rides in its message is archived (`InboundArchiveMode`). */
  readonly archiveMode: InboundArchiveMode;
  readonly retentionDays: number;
}

interface IngestInput {
  readonly token: string;
  readonly rawBody: Buffer;
  /** Lowercase names. */
  readonly headers: Headers;
}

type IngestResult =
  | { readonly request_id: string; readonly duplicate: boolean }
  /** Slack's `url_verification` handshake: answered with its challenge, stored nowhere. */
  | { readonly challenge: string };

const slackChallenge = (rawBody: Buffer): string | undefined => {
  try {
    const body = JSON.parse(rawBody.toString('utf8')) as { type?: unknown; challenge?: unknown };
    return body.type === 'url_verification' && typeof body.challenge === 'string'
      ? body.challenge
      : undefined;
  } catch {
    return undefined;
  }
};

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The request's id follows from what identifies the delivery (the provider's own id, else the
 * body's hash), so a provider's retry finds the request it already made.
 */
export const inboundId = (tenantId: string, sourceId: string, dedupKey: string): string => {
  const digest = createHash('sha256').update(`${tenantId}\n${sourceId}\n${dedupKey}`).digest();
  let out = '';
  for (let i = 0; i < 26; i++) out += ALPHABET[(digest[i] ?? 0) % 32];
  return `iwh_${out}`;
};

const KEPT_HEADER =
  /^(content-type|user-agent|stripe-signature|x-github-.*|x-hub-signature.*|x-shopify-.*|x-slack-.*|webhook-.*|svix-.*|x-provider-id|x-webhook-signature)$/;

/** The headers worth keeping with the body: the provider's, never credentials or cookies. */
const keptHeaders = (headers: Headers, route: SourceRoute): Record<string, string> => {
  const extra = [route.config?.header, route.config?.id_header, route.config?.type_header]
    .filter((h): h is string => Boolean(h))
    .map((h) => h.toLowerCase());
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'authorization' || name === 'cookie') continue;
    if (KEPT_HEADER.test(name) || extra.includes(name)) out[name] = value.slice(0, 1024);
  }
  return out;
};

/** A request the verifier refused: a header it cannot read is invalid; a signature is not proof. */
const rejection = (result: Exclude<ReturnType<typeof verifyWithAny>, { ok: true }>): DomainError => {
  const details = result.header ? [{ field: result.header, message: result.message }] : [];
  switch (result.reason) {
    case 'missing_header':
    case 'malformed_header':
      return new ValidationError(result.message, details, result.reason);
    case 'stale_timestamp':
      return new UnauthorizedError(result.message, 'stale_timestamp', details);
    default:
      return new UnauthorizedError(result.message, 'invalid_signature', details);
  }
};

/** EventBridge refuses a `detail-type` longer than this; the request would never route. */
const MAX_EVENT_TYPE_LENGTH = 128;

const typeTooLong = (type: string, from: string): DomainError =>
  new ValidationError(
    `The event type in ${from} is ${type.length} characters long; at most ${MAX_EVENT_TYPE_LENGTH} are accepted ` +
      "(EventBridge's detail-type limit).",
    [{ field: from, message: `must be at most ${MAX_EVENT_TYPE_LENGTH} characters` }],
    'invalid_event_type',
  );

/**
 * The headers as a map without a prototype: a name the request lacks is absent, even one such
 * as `constructor` that a configured `hmac` source may name.
 */
const ownHeaders = (headers: Headers): Headers => Object.assign(Object.create(null), headers);

const archiveKey = (route: SourceRoute, id: string, receivedAt: number): string => {
  const day = iso(receivedAt).slice(0, 10).split('-').join('/');
  return `${route.tenant_id}/${route.source_id}/${day}/${id}`;
};

type Verified = Extract<Verification, { ok: true }>;

/** The request's metadata as first stored: RECEIVED, its body in the archive or in its message. */
const receivedRequest = (
  route: SourceRoute,
  id: string,
  verification: Verified,
  input: IngestInput,
  stored: { readonly archived?: ArchivedBody; readonly headers: Record<string, string> },
  now: number,
): InboundRequest => ({
  id,
  tenant_id: route.tenant_id,
  source_id: route.source_id,
  provider: route.provider,
  received_at: iso(now),
  ...(verification.eventId ? { provider_event_id: verification.eventId } : {}),
  type: verification.type ?? 'unknown',
  status: 'RECEIVED',
  size: input.rawBody.length,
  ...(stored.archived ?? {}),
  ...(input.headers['content-type'] ? { content_type: input.headers['content-type'] } : {}),
  headers: stored.headers,
  duplicate_count: 0,
  round: 0,
  forward: route.forward,
});

/**
 * The refusal of a request nothing is stored for (too large, unverified, a type EventBridge
 * would refuse), or what verifying it told.
 */
const admit = (
  deps: IngestDeps,
  route: SourceRoute,
  input: IngestInput,
  now: number,
): Verified | DomainError => {
  if (input.rawBody.length > deps.maxBodyBytes) return new PayloadTooLargeError(deps.maxBodyBytes);
  const secrets = route.secrets
    .filter((s) => s.expires_at === undefined || s.expires_at > now)
    .map((s) => s.secret);
  const verification = verifyWithAny(
    route.provider,
    input.rawBody,
    ownHeaders(input.headers),
    secrets,
    now,
    route.config,
  );
  if (!verification.ok) return rejection(verification);
  if (verification.type && verification.type.length > MAX_EVENT_TYPE_LENGTH) {
    return typeTooLong(verification.type, verification.typeFrom ?? 'type');
  }
  return verification;
};

/**
 * A provider's request to `/in/{token}`: verify on the raw bytes, archive them, write the
 * request's metadata, enqueue it on the source's FIFO group. With `archiveMode: 'batch'` a body
 * that rides in the message is left to the processor, which archives a batch at a time; a
 * larger one is archived here, before the metadata, whatever the mode. A retry of
 * a delivery already received answers the same id and makes no second event (and enqueues
 * again, with the body, when the first time stopped before the queue). Refusals are counted on
 * the source and store nothing else.
 */
export const ingest = async (deps: IngestDeps, input: IngestInput): Promise<IngestResult> => {
  const route = await deps.sources.route(input.token);
  if (!route) throw new NotFoundError('source for this URL');
  const now = deps.clock.now();
  const verification = admit(deps, route, input, now);
  if (verification instanceof DomainError) {
    await deps.sources.countRejected(route.tenant_id, route.source_id);
    throw verification;
  }
  if (route.provider === 'slack') {
    const challenge = slackChallenge(input.rawBody);
    if (challenge !== undefined) return { challenge };
  }
  const dedupKey =
    verification.eventId ?? `sha256:${createHash('sha256').update(input.rawBody).digest('hex')}`;
  const id = inboundId(route.tenant_id, route.source_id, dedupKey);
  const rides = input.rawBody.length <= INLINE_BODY_MAX_BYTES;
  const message: InboundMessage = {
    v: 1,
    tenant_id: route.tenant_id,
    source_id: route.source_id,
    request_id: id,
    round: 0,
    // Most bodies ride along: the processor reads none back (and archives them in `batch` mode).
    ...(rides ? { body: input.rawBody.toString('base64') } : {}),
  };

  const existing = await deps.requests.get(route.tenant_id, id);
  if (existing) {
    await deps.requests.countDuplicate(route.tenant_id, id);
    // The first time may have stopped before the queue; FIFO deduplication drops a second copy.
    // The message carries the body again: in `batch` mode, until the processor archives it, only
    // messages hold it.
    if (existing.status === 'RECEIVED') await deps.queue.send(message, route.source_id, id);
    return { request_id: id, duplicate: true };
  }

  const headers = keptHeaders(input.headers, route);
  let archived: ArchivedBody | undefined;
  if (!rides || deps.archiveMode === 'ingest') {
    const s3Key = archiveKey(route, id, now);
    const s3Uri = await deps.archive.put(s3Key, input.rawBody, input.headers['content-type'], headers);
    archived = { s3_key: s3Key, s3_uri: s3Uri };
  }
  const request = receivedRequest(
    route,
    id,
    verification,
    input,
    { headers, ...(archived ? { archived } : {}) },
    now,
  );
  const created = await deps.requests.create(request, Math.floor(now / 1000) + deps.retentionDays * 86_400);
  if (!created) {
    await deps.requests.countDuplicate(route.tenant_id, id);
    return { request_id: id, duplicate: true };
  }
  await deps.queue.send(message, route.source_id, id);
  return { request_id: id, duplicate: false };
};
