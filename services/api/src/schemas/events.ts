import { EVENT_STATUSES } from '@hookrelay/domain';
import {
  at,
  count,
  createdRange,
  cursorSchema,
  errorResponse,
  eventIdSchema,
  eventRef,
  eventTypeSchema,
  limitSchema,
  orderingKeySchema,
  pageFields,
  statusSchema,
  text,
  webhookRef,
} from './common.js';

/** `{type, data, id?}`; a body without `data` is the data itself, its type from `type` or `event`. */
const eventFields = {
  type: eventTypeSchema,
  event: { ...eventTypeSchema, description: 'Another name for type, for bodies sent as they are.' },
  id: eventIdSchema,
  ordering_key: orderingKeySchema,
  data: { description: 'The payload your receivers get as "data" (any JSON value).' },
} as const;

export const createEventBody = {
  type: 'object',
  description:
    'An event: {type, data, id?}. A body without "data" is taken whole as the data, its type from "type" ' +
    'or "event". Types starting with "hookrelay." are the platform\'s own (operational events about your ' +
    'endpoints) and are refused here.',
  // Open (each branch takes any other field): a body without "data" is the data itself, whatever
  // its fields. Each branch is a whole body (the fields, one of them required) and there is no other, so that
  // the typed client's body is `{type: string, …} | {event: string, …}`: `{type: 1}` or `{}` do
  // not compile.
  anyOf: [
    { type: 'object', required: ['type'], properties: eventFields, additionalProperties: true },
    { type: 'object', required: ['event'], properties: eventFields, additionalProperties: true },
  ],
} as const;

export const eventTypeList = {
  type: 'object',
  required: ['event_types'],
  description: 'The event types the tenant has sent within the retention, by name.',
  properties: {
    event_types: {
      type: 'array',
      description: 'One entry per type.',
      items: {
        type: 'object',
        required: ['type', 'last_seen_at', 'example'],
        description: 'A type and a recent event of it.',
        properties: {
          type: text('The event type.'),
          last_seen_at: at(
            'When an event of this type was last noted (each API instance notes a type at most every 10 minutes).',
          ),
          example: {
            type: 'object',
            required: ['event_id'],
            description: 'A recent event of this type: its id and data (data larger than 16 KB is left out).',
            properties: {
              event_id: text('The event the example is.'),
              data: { description: 'Its data, as receivers get it.' },
            },
          },
        },
      },
    },
  },
} as const;

const MAX_BATCH = 100;
export const batchEventsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['events'],
  description: 'Up to 100 events; each is checked and accepted or rejected on its own.',
  properties: {
    events: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH,
      // Each item is checked on its own (a bad one is REJECTED in the results, not a 400 for all).
      items: {
        type: 'object',
        additionalProperties: true,
        description: 'One event, as POST /v1/events takes it.',
        properties: {
          type: { description: eventTypeSchema.description },
          event: { description: 'Another name for type.' },
          id: { description: eventIdSchema.description },
          ordering_key: { description: orderingKeySchema.description },
          data: { description: 'The payload.' },
        },
      },
      description: 'The events, in order; results come back in the same order.',
    },
  },
} as const;

/** What the list and the export narrow events by. */
const eventFilters = {
  status: { ...statusSchema, description: 'Only events in this status.' },
  type: { ...eventTypeSchema, description: 'Only events of this type.' },
  webhook_id: {
    type: 'string',
    pattern: '^[A-Za-z0-9_-]{1,128}$',
    description: 'Only events with a delivery to this webhook (its id).',
  },
} as const;

export const listEventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...eventFilters,
    limit: limitSchema,
    cursor: cursorSchema,
    ...createdRange,
  },
} as const;

/** The most events one export answers; past it the export ends with a `truncated` line. */
export const EXPORT_LIMIT = 10_000;

export const exportEventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...eventFilters,
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: EXPORT_LIMIT,
      default: EXPORT_LIMIT,
      description:
        'Events to export at most. With more to come the last line is ' +
        '{"truncated": true, "exported", "limit", "next_cursor"}, and the header x-export-truncated is true.',
    },
    cursor: { ...cursorSchema, description: "A truncated export's next_cursor: resumes where it stopped." },
    ...createdRange,
  },
} as const;

const deliveryCount = count('Webhooks the event is delivered to.');

/** What every view of an event starts with. */
const eventFacts = {
  event_id: text('The event id.'),
  type: text('The event type.'),
  status: statusSchema,
  created_at: at('When it was accepted.'),
} as const;

/** Why an attempt failed, as attempts and test deliveries say it. */
export const attemptErrorKind = text(
  'Why it failed: timeout, dns, refused, reset, tls, blocked, http, redirect, auth_token (no token from the OAuth2 token endpoint; the endpoint was not called), abandoned (unanswered on the main lane within its budget, handed to the slow lane), other.',
);

export const eventAccepted = {
  type: 'object',
  required: ['event_id', 'status'],
  description: 'The event is stored and its deliveries are queued.',
  properties: {
    ...eventFacts,
    delivery_count: deliveryCount,
    ordering_key: text('The key it was sent with, when it has one.'),
    deliveries: {
      ...deliveryCount,
      deprecated: true,
      description: 'Old name of delivery_count; removed in the next release.',
    },
  },
} as const;

export const batchResult = {
  type: 'object',
  required: ['accepted', 'rejected', 'results'],
  description: '201 when every event was accepted, 207 when some were rejected.',
  properties: {
    accepted: count('Events accepted.'),
    rejected: count('Events rejected (nothing stored for them).'),
    results: {
      type: 'array',
      description: 'One result per event, in the order sent.',
      items: {
        type: 'object',
        required: ['index', 'status'],
        description: 'An accepted event (as POST /v1/events answers) or a rejection.',
        properties: {
          index: count('Position in the batch, from 0.'),
          ...eventAccepted.properties,
          status: {
            type: 'string',
            enum: [...EVENT_STATUSES, 'REJECTED'],
            description: 'The event status, or REJECTED.',
          },
          error: {
            ...errorResponse.properties.error,
            description: 'Why the event was rejected.',
          },
        },
      },
    },
  },
} as const;

/** The delivery a view is about: an event's to one webhook. */
const deliveryRef = { event_id: eventRef, webhook_id: webhookRef } as const;

const attemptView = {
  type: 'object',
  required: ['event_id', 'webhook_id', 'attempt', 'attempted_at', 'outcome'],
  description: 'One HTTP attempt to deliver an event to a webhook.',
  properties: {
    ...deliveryRef,
    attempt: { type: 'integer', minimum: 1, description: 'Attempt number for this delivery, from 1.' },
    attempted_at: at('When the request was sent.'),
    status_code: { type: 'integer', description: 'What the endpoint answered, when it answered.' },
    duration_ms: count('How long it took.'),
    outcome: { type: 'string', enum: ['success', 'failure'], description: 'success = 2xx in time.' },
    error_kind: attemptErrorKind,
    response: text('The first 1,000 characters of the answer.'),
  },
} as const;

const deliveryView = {
  type: 'object',
  required: ['webhook_id', 'status', 'attempt_count', 'attempts'],
  description: "The event's delivery to one webhook.",
  properties: {
    webhook_id: webhookRef,
    status: statusSchema,
    attempt_count: count('Attempts made so far.'),
    next_attempt_at: at('When the next attempt is due, while PENDING.'),
    last_status_code: { type: 'integer', description: 'Status of the last answer.' },
    last_error: text('What went wrong last.'),
    attempts: { type: 'array', items: attemptView, description: 'Its attempts, oldest first.' },
  },
} as const;

export const eventView = {
  type: 'object',
  required: ['event_id', 'type', 'status', 'created_at', 'data', 'deliveries'],
  description: 'An event with each webhook delivery and its attempts.',
  properties: {
    ...eventFacts,
    updated_at: at('When its status last changed.'),
    data: { description: 'The payload, as sent.' },
    ordering_key: text(
      'The key it was sent with, when it has one: webhooks with ordering "per_key" get it in that key\'s line.',
    ),
    deliveries: { type: 'array', items: deliveryView, description: 'One per matching webhook.' },
  },
} as const;

export const eventSummary = {
  type: 'object',
  required: ['event_id', 'type', 'status', 'created_at'],
  description: 'An event in a list.',
  properties: {
    ...eventFacts,
    delivery_count: deliveryCount,
  },
} as const;

export const eventList = {
  type: 'object',
  required: ['events', 'next_cursor', 'has_more'],
  description: 'A page of events, newest first.',
  properties: {
    events: { type: 'array', items: eventSummary, description: 'The events.' },
    ...pageFields,
  },
} as const;

export const attemptList = {
  type: 'object',
  required: ['attempts', 'next_cursor', 'has_more'],
  description: 'A page of attempts, newest first.',
  properties: {
    attempts: { type: 'array', items: attemptView, description: 'The attempts.' },
    deliveries: {
      type: 'array',
      items: attemptView,
      deprecated: true,
      description: 'Old name of attempts; removed in the next release.',
    },
    ...pageFields,
  },
} as const;

/** The event an action was taken on, and its status after it. */
const eventOutcome = { event_id: eventRef, status: statusSchema } as const;

export const retryResult = {
  type: 'object',
  required: ['event_id', 'status', 'retried'],
  description: 'The failed deliveries start a fresh schedule.',
  properties: {
    ...eventOutcome,
    retried: count('Deliveries reopened.'),
  },
} as const;

export const cancelResult = {
  type: 'object',
  required: ['event_id', 'cancelled'],
  description: 'What was cancelled.',
  properties: {
    ...eventOutcome,
    cancelled: count('Deliveries cancelled.'),
  },
} as const;

export const resendResult = {
  type: 'object',
  required: ['event_id', 'webhook_id', 'status', 'attempt'],
  description: 'The attempt queued for now.',
  properties: {
    ...deliveryRef,
    status: statusSchema,
    attempt: count('The number the new attempt will have.'),
  },
} as const;

export const ndjsonExport = {
  type: 'string',
  description:
    'One event summary per line, as JSON (newest first, the list filters applied); empty when none match.',
} as const;
