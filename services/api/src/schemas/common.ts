import { EVENT_STATUSES, EVENT_TYPE_PATTERN, MAX_ORDERING_KEY_LENGTH } from '@hookrelay/domain';
import { ID_PATTERN_SOURCE } from '../id-pattern.js';

// What the API's schemas share: ids, names, times, pages and the error shape. One schema per
// request and response: ajv validates with it, the OpenAPI document is built from it, and
// json-schema-to-ts derives the TypeScript type from it. Every field carries its description;
// docs/api.md states the naming convention they follow.

/** Ids a route already uses as a path word (`/v1/tenants/current`, `/v1/events/export`). */
export const RESERVED_TENANT_IDS: readonly string[] = ['current'];
export const RESERVED_EVENT_IDS: readonly string[] = ['export', 'batch', 'bulk'];

export const tenantIdSchema = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9_-]{1,62}$',
  description: 'Lowercase letters, digits, "-" and "_"; 2 to 63 characters; not "current".',
} as const;
export const eventTypeSchema = {
  type: 'string',
  pattern: EVENT_TYPE_PATTERN.source,
  description: 'Event type, e.g. "invoice.paid": letters, digits and . _ : -, at most 128 characters.',
} as const;
export const idSchema = { type: 'string', pattern: ID_PATTERN_SOURCE } as const;
export const eventIdSchema = {
  ...idSchema,
  description: 'Your own event id (default: a generated evt_...); not "export", "batch" or "bulk".',
} as const;
export const urlSchema = {
  type: 'string',
  maxLength: 2048,
  pattern: '^https?://[^\\s/?#]+[^\\s]*$',
  format: 'uri',
  description: 'http(s) URL with a host and a port that exists (1 to 65535), at most 2,048 characters.',
} as const;

export const timestamp = { type: 'string', format: 'date-time' } as const;
export const at = (description: string) => ({ ...timestamp, description }) as const;
export const text = (description: string) => ({ type: 'string', description }) as const;
export const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;
export const statusSchema = {
  type: 'string',
  enum: EVENT_STATUSES,
  description:
    'PENDING (accepted or retrying), DELIVERED (every matching webhook got it), FAILED (retries ' +
    'exhausted) or CANCELLED.',
} as const;
export const webhookRef = text('The webhook (wh_...) this is about.');
export const eventRef = text('The event (evt_... or your own id) this is about.');
export const nextCursor = {
  type: ['string', 'null'],
  description: 'Pass as ?cursor= for the next page; null on the last page. Opaque and signed.',
} as const;
export const hasMore = {
  type: 'boolean',
  description: 'true when another page follows (next_cursor is set).',
} as const;

/** What closes every page of a list: where the next one starts. */
export const pageFields = { next_cursor: nextCursor, has_more: hasMore } as const;

export const orderingKeySchema = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_ORDERING_KEY_LENGTH,
  description:
    `What the event is in sequence with (a customer or an order id, say), 1 to ${MAX_ORDERING_KEY_LENGTH} ` +
    'characters: webhooks with ordering "per_key" get the events that share a key one at a time, in the ' +
    'order they were accepted. Ignored by other webhooks.',
} as const;

export const limitSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 100,
  default: 50,
  description: 'Items per page, 1 to 100 (default 50).',
} as const;
export const cursorSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 4096,
  description: 'next_cursor of the previous page.',
} as const;
/** [created_after, created_before): the first included, the second not. */
export const createdRange = {
  created_after: { ...timestamp, description: 'Only what was created at or after this time.' },
  created_before: { ...timestamp, description: 'Only what was created before this time.' },
} as const;

export const errorResponse = {
  type: 'object',
  required: ['error'],
  description: 'Every error, whatever the status.',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      description: 'What went wrong.',
      properties: {
        code: text('Stable snake_case code to branch on, e.g. validation_error, not_found.'),
        message: text('A sentence for a person; may change between releases.'),
        details: {
          type: 'array',
          description: 'For validation errors: one item per problem.',
          items: {
            type: 'object',
            description: 'One problem.',
            properties: {
              field: text('Dotted path of the field, or the parameter name.'),
              message: text('What is wrong with it.'),
            },
          },
        },
      },
    },
  },
} as const;

export const EVENT_TYPE = new RegExp(eventTypeSchema.pattern);
export { ID_PATTERN } from '../id-pattern.js';
