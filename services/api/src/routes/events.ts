import type { Logger } from '@aws-lambda-powertools/logger';
import { ValidationError } from '@hookrelay/domain';
import { jsonResponse } from '@hookrelay/http';
import {
  batchExample,
  batchResultExample,
  createEventExample,
  eventAcceptedExample,
} from '../examples/events.js';
import { route } from '../route-spec.js';
import { batchEventsBody, batchResult, createEventBody, eventAccepted } from '../schemas/events.js';
import { createEvent, createEvents, normalizeEvent, refuseReserved } from '../use-cases/events.js';
import { eventActionRoutes } from './event-actions.js';
import { eventReadRoutes } from './event-reads.js';
import { statsRoute } from './event-stats.js';

/** `POST /v1/events`: one event, replayed as first answered when its Idempotency-Key comes again. */
const sendEventRoute = (logger: Logger) =>
  route({
    method: 'POST',
    path: '/v1/events',
    auth: 'tenant',
    tag: 'Events',
    summary: 'Send an event',
    description:
      'Stores the event and queues one delivery per matching active webhook (a webhook with no events list ' +
      'gets every type). Receivers get {id, type, timestamp, data}, signed. With an Idempotency-Key, the ' +
      'same key and body answer the first response again; another body with that key is a 422.',
    body: createEventBody,
    bodyExample: createEventExample,
    success: {
      status: 201,
      description: 'Accepted: stored, deliveries queued (status DELIVERED when no webhook matches).',
      schema: eventAccepted,
      example: eventAcceptedExample,
    },
    errors: {
      409: { code: 'event_exists', message: `An event with id ${createEventExample.id} already exists.` },
      422: {
        code: 'idempotency_key_reused',
        message: 'This Idempotency-Key was already used with a different request body.',
      },
    },
    handle: async (req, deps) => {
      const tenantId = req.principal.tenant_id;
      const event = normalizeEvent(req.body);
      refuseReserved(event, req.body.type !== undefined ? 'type' : 'event');
      // Powertools answers a replay from its record without calling `run`: that is how a
      // replay is told from a first response.
      let ran = false;
      const run = async () => {
        ran = true;
        return createEvent({ ...deps, log: logger }, { tenantId, event });
      };
      const key = req.headers['idempotency-key'];
      if (key === undefined) return jsonResponse(201, await run());
      if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
        throw new ValidationError('Idempotency-Key must be 1 to 255 printable characters.', [
          { field: 'Idempotency-Key', message: 'must be 1 to 255 printable ASCII characters' },
        ]);
      }
      const result = await deps.idempotent(
        run,
        req.context,
      )({
        tenant_id: tenantId,
        idempotency_key: key,
        route: 'POST /v1/events',
        body: req.body,
      });
      return jsonResponse(201, result, { 'idempotent-replayed': ran ? 'false' : 'true' });
    },
  });

/** `POST /v1/events/batch` and its older name `/v1/events/bulk`: each event accepted or rejected on its own. */
const batchRoutes = (logger: Logger) =>
  (['/v1/events/batch', '/v1/events/bulk'] as const).map((path) =>
    route({
      method: 'POST',
      path,
      auth: 'tenant',
      tag: 'Events',
      summary: path.endsWith('bulk')
        ? 'Send up to 100 events (alias of /v1/events/batch)'
        : 'Send up to 100 events',
      description:
        'Each event is checked and stored on its own, with the rules of POST /v1/events; results come back ' +
        'in the order sent. 201 when all were accepted, 207 when some were rejected (nothing is stored for ' +
        "a rejected one). An id is sent once per batch: an item repeating an earlier item's id is rejected " +
        '(duplicate_id) and nothing of it is queued.',
      body: batchEventsBody,
      bodyExample: batchExample,
      success: {
        status: 201,
        description: 'Every event accepted.',
        schema: batchResult,
        example: {
          ...batchResultExample,
          accepted: 1,
          rejected: 0,
          results: batchResultExample.results.slice(0, 1),
        },
      },
      alsoSucceeds: [
        {
          status: 207,
          description: 'Some events rejected: each result says which and why; the others were accepted.',
          example: batchResultExample,
        },
      ],
      handle: async (req, deps) => {
        const result = await createEvents(
          { ...deps, log: logger },
          {
            tenantId: req.principal.tenant_id,
            items: req.body.events,
            maxEventBytes: deps.maxEventBytes,
          },
        );
        return jsonResponse(result.rejected === 0 ? 201 : 207, result);
      },
    }),
  );

/** The events group (`routes/events.ts`), in the order the index and the document list it. */
export const eventRoutes = (logger: Logger) => [
  sendEventRoute(logger),
  ...batchRoutes(logger),
  ...eventReadRoutes,
  ...eventActionRoutes(logger),
  statsRoute,
];
