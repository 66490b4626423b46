import { busSource } from '@hookrelay/definitions';
import { type Clock, DomainError, iso } from '@hookrelay/domain';
import { archiveBodies, type Prepared, readArchivedBody } from './archive-batch.js';
import {
  type ArchivedBody,
  archivedBody,
  archiveRange,
  type InboundMessage,
  type InboundRequest,
  requestIdFields,
} from './models.js';
import type { Archive, EventBus, InboundRequestStore, OutboundEvents } from './ports.js';

export interface ProcessDeps {
  readonly requests: InboundRequestStore;
  readonly archive: Archive;
  readonly bus: EventBus;
  readonly outbound: OutboundEvents;
  readonly clock: Clock;
}

type ProcessOutcome = 'routed' | 'already-routed' | 'unknown-request' | 'body-not-archived';

/** The payload goes on the bus when the event stays well inside EventBridge's 256 KB. */
const MAX_BUS_PAYLOAD_BYTES = 200 * 1024;

const EVENT_TYPE = /[^A-Za-z0-9._:-]/g;

/** The outbound event type for a provider's event: `stripe.invoice.paid`, `shopify.orders.create`. */
const forwardedType = (provider: string, type: string): string =>
  `${provider}.${type.replace(/\//g, '.').replace(EVENT_TYPE, '_')}`.slice(0, 128);

/** The outbound event id of a request's routing round: the same id every time that round is retried. */
const forwardedEventId = (request: InboundRequest, round: number): string =>
  `evt_${request.id.slice(4)}${round > 0 ? `_r${round}` : ''}`;

const payloadOf = (body: Buffer): unknown => {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The body from the archive: its range of a batch's object, or the whole object. */
const readArchived = async (archive: Archive, request: InboundRequest, at: ArchivedBody): Promise<Buffer> => {
  const body = await readArchivedBody(archive, request, at);
  if (!body)
    throw new DomainError('not_found', 'archived_body_missing', `archived body ${at.s3_uri} is missing`);
  return body;
};

/**
 * Routes one received request: archives its body when it rides in the message and the batch
 * did not (`prepared`, from `prepareBatch`), then `PutEvents` to the stage's bus (source
 * `hookrelay.inbound.<provider>`, detail-type the provider's event type, `s3_uri` and
 * `s3_range` saying where the body is) and, for a forwarding source, an outbound event
 * `<provider>.<type>` for the same tenant; then marks it ROUTED, recording where the body was
 * archived in that same write. A round already routed is not routed again; throwing leaves the
 * message for another receive (which may archive the body again, in another object: the one
 * recorded is the one routed).
 */
export const processInbound = async (
  deps: ProcessDeps,
  message: InboundMessage,
  prepared: Prepared = {},
): Promise<ProcessOutcome> => {
  const request = prepared.request ?? (await deps.requests.get(message.tenant_id, message.request_id));
  if (!request) return 'unknown-request';
  if (request.routed_round !== undefined && request.routed_round >= message.round) return 'already-routed';
  const inline = message.body === undefined ? undefined : Buffer.from(message.body, 'base64');
  let fresh: ArchivedBody | undefined;
  let at = archivedBody(request);
  if (!at) {
    // Only its first message carries this body, and that one archives it before routing: a
    // message without it (a replay the API let through by a race) has nothing to route.
    if (!inline) return 'body-not-archived';
    fresh = prepared.archived ?? (await archiveBodies(deps, request.tenant_id, [inline]))[0];
    at = fresh;
  }
  if (!at) throw new DomainError('unavailable', 'archive_failed', 'the body could not be archived');
  const body = inline ?? (await readArchived(deps.archive, request, at));
  const payload = payloadOf(body);
  const fits = Buffer.byteLength(JSON.stringify(payload)) <= MAX_BUS_PAYLOAD_BYTES;
  const range = archiveRange(at, request.size);
  await deps.bus.put({
    source: busSource(request.provider),
    detailType: request.type,
    detail: {
      tenant_id: request.tenant_id,
      source_id: request.source_id,
      ...requestIdFields(request.id),
      provider: request.provider,
      ...(request.provider_event_id ? { provider_event_id: request.provider_event_id } : {}),
      type: request.type,
      received_at: request.received_at,
      s3_uri: at.s3_uri,
      ...(range ? { s3_range: range } : {}),
      ...(fits ? { payload } : { payload_omitted: true }),
    },
  });
  if (request.forward) {
    await deps.outbound.create(request.tenant_id, {
      id: forwardedEventId(request, message.round),
      type: forwardedType(request.provider, request.type),
      data: payload,
    });
  }
  await deps.requests.markRouted(request.tenant_id, request.id, message.round, iso(deps.clock.now()), fresh);
  return 'routed';
};
