import { busSource } from '@hookrelay/definitions';
import { type Clock, DomainError, iso } from '@hookrelay/domain';
import { type InboundMessage, type InboundRequest, requestIdFields } from './models.js';
import type { Archive, EventBus, InboundRequestStore, OutboundEvents } from './ports.js';

export interface ProcessDeps {
  readonly requests: InboundRequestStore;
  readonly archive: Archive;
  readonly bus: EventBus;
  readonly outbound: OutboundEvents;
  readonly clock: Clock;
}

type ProcessOutcome = 'routed' | 'already-routed' | 'unknown-request';

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

/**
 * Routes one received request: `PutEvents` to the stage's bus (source
 * `hookrelay.inbound.<provider>`, detail-type the provider's event type) and, for a forwarding
 * source, an outbound event `<provider>.<type>` for the same tenant; then marks it ROUTED. A
 * round already routed is not routed again; throwing leaves the message for another receive.
 */
export const processInbound = async (deps: ProcessDeps, message: InboundMessage): Promise<ProcessOutcome> => {
  const request = await deps.requests.get(message.tenant_id, message.request_id);
  if (!request) return 'unknown-request';
  if (request.routed_round !== undefined && request.routed_round >= message.round) return 'already-routed';
  const body =
    message.body !== undefined ? Buffer.from(message.body, 'base64') : await deps.archive.get(request.s3_key);
  if (!body)
    throw new DomainError('not_found', 'archived_body_missing', `archived body ${request.s3_uri} is missing`);
  const payload = payloadOf(body);
  const fits = Buffer.byteLength(JSON.stringify(payload)) <= MAX_BUS_PAYLOAD_BYTES;
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
      s3_uri: request.s3_uri,
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
  await deps.requests.markRouted(request.tenant_id, request.id, message.round, iso(deps.clock.now()));
  return 'routed';
};
