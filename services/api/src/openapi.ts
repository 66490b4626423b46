import { QUERY_ALIASES } from './aliases.js';
import { type ErrorExample, type JsonSchema, type RouteSpec, TAGS } from './route-spec.js';
import { errorResponse } from './schemas/common.js';

/** The errors every operation of a kind may answer, with the example each shows. */
const ERRORS: Readonly<Record<number, { readonly description: string } & ErrorExample>> = {
  400: {
    description: 'Invalid input: details name each field or parameter and what is wrong with it.',
    code: 'validation_error',
    message: 'Invalid request body: url is required.',
  },
  401: {
    description: 'No API key, or not a valid one.',
    code: 'unauthorized',
    message: 'Missing or invalid API key.',
  },
  403: {
    description: 'The key may not do this (a tenant key on an admin route, or the other way round).',
    code: 'forbidden',
    message: 'Only the admin key can manage tenants.',
  },
  404: {
    description: 'No such resource, or it belongs to another tenant.',
    code: 'not_found',
    message: 'No webhook with id wh_01JD6Z9M3QH4T2W7X9RZ5K8B1C.',
  },
  413: {
    description:
      'The body is larger than allowed (256 KB per event, 6 MB per batch), on any route, even one that takes no body.',
    code: 'payload_too_large',
    message: 'The request body is larger than 262144 bytes.',
  },
  415: {
    description: 'A body was sent that is not JSON.',
    code: 'unsupported_media_type',
    message: 'The request body must be JSON (Content-Type: application/json).',
  },
  429: {
    description: 'Too many requests for your plan; Retry-After says when to try again.',
    code: 'throttled',
    message: 'Too many requests; slow down.',
  },
  503: {
    description: 'A dependency is down; nothing was changed. Retry after Retry-After seconds.',
    code: 'service_unavailable',
    message: 'The event store is unavailable; try again shortly.',
  },
};

/** What each path parameter names, by the collection it follows. */
const PATH_PARAMS: Readonly<Record<string, string>> = {
  events: 'The event id (evt_... or the id you gave it).',
  webhooks: 'The webhook id (wh_...).',
  tenants: 'The tenant id.',
  keys: 'The API key id (key_...).',
  sources: 'The source id (src_...).',
  inbound: 'The inbound request id (iwh_...).',
  assets: 'The file name.',
  deliveries: 'The webhook id (wh_...).',
};

const clone = <T>(value: T): T => structuredClone(value);

/**
 * Answers API Gateway itself may give before any function runs: a path it cannot decode (400), a
 * refused key (401, 403), a body over its own limit (413), throttling (429). The REST API
 * reshapes them into the error envelope (gateway responses); an HTTP API cannot, and answers
 * `{"message": ...}`.
 */
const GATEWAY_MADE: ReadonlySet<number> = new Set([400, 401, 403, 413, 429]);

/** What an HTTP API answers by itself (a refused key, throttling, a route it does not have). */
const gatewayError = {
  type: 'object',
  required: ['message'],
  description:
    'Answered by an HTTP API front door itself (api_gateway = "http"): "Bad Request", "Unauthorized", ' +
    '"Forbidden", "Not Found", "Request Entity Too Large" or "Too Many Requests". The REST front door ' +
    'answers these in the error envelope.',
  properties: { message: { type: 'string', description: 'What API Gateway says.' } },
} as const;

const errorResponseFor = (status: number, example: ErrorExample & { description?: string }) => ({
  description: example.description ?? ERRORS[status]?.description ?? 'Error',
  content: {
    'application/json': {
      schema: GATEWAY_MADE.has(status)
        ? { oneOf: [{ $ref: '#/components/schemas/Error' }, { $ref: '#/components/schemas/GatewayError' }] }
        : { $ref: '#/components/schemas/Error' },
      example: { error: { code: example.code, message: example.message } },
    },
  },
});

/** A 400 as this operation would answer it: a body field, a query parameter, or an unknown one. */
const invalidExample = (r: RouteSpec): ErrorExample => {
  const required = ((r.body?.required ?? []) as string[])[0];
  if (required)
    return { code: 'validation_error', message: `Invalid request body: ${required} is required.` };
  if (r.body)
    return { code: 'validation_error', message: 'Invalid request body: color is not a known field.' };
  if ((r.query?.properties as Record<string, unknown> | undefined)?.limit)
    return { code: 'validation_error', message: 'Invalid query: limit must be <= 100.' };
  return { code: 'validation_error', message: 'Invalid query: color is not a known parameter.' };
};

/** The error statuses an operation answers: from its auth, path, body, and its own list. */
const errorsOf = (r: RouteSpec): Record<string, unknown> => {
  const hasPathId = r.path.includes('{');
  // Every request's body is measured before its route reads it (a stray one too): 413 anywhere.
  const statuses = new Set<number>([400, 413, 415]);
  if (r.auth !== 'public') for (const s of [401, 403, 429, 503]) statuses.add(s);
  if (hasPathId) statuses.add(404);
  const out: Record<string, unknown> = {};
  for (const status of [...statuses, ...Object.keys(r.errors ?? {}).map(Number)].sort()) {
    const own = r.errors?.[status as 404 | 409 | 422];
    const base = status === 400 ? { ...ERRORS[400], ...invalidExample(r) } : ERRORS[status];
    out[String(status)] = errorResponseFor(status, {
      ...(base ?? { code: 'error', message: '' }),
      ...(own ? { ...own, description: own.message } : {}),
    });
  }
  return out;
};

const parametersOf = (r: RouteSpec) => {
  const segments = r.path.split('/');
  const params = segments
    .map((segment, i) => ({ segment, before: segments[i - 1] ?? '' }))
    .filter(({ segment }) => /^\{\w+\+?\}$/.test(segment))
    .map(({ segment, before }) => {
      const greedy = segment.endsWith('+}');
      const name = segment.slice(1, greedy ? -2 : -1);
      return {
        name,
        in: 'path',
        required: true,
        description: greedy
          ? `The rest of the path, slashes included (API Gateway's greedy {${name}+}).`
          : (PATH_PARAMS[before] ?? `The ${name}.`),
        schema: { type: 'string' },
      };
    });
  const queryProps = (r.query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = (r.query?.required ?? []) as string[];
  const query = Object.entries(queryProps).map(([name, schema]) => {
    const { description, ...rest } = schema as JsonSchema & { description?: string };
    return {
      name,
      in: 'query',
      required: required.includes(name),
      description: description ?? name,
      schema: clone(rest),
    };
  });
  const aliases = Object.entries(QUERY_ALIASES)
    .filter(([, name]) => name in queryProps)
    .map(([old, name]) => ({
      name: old,
      in: 'query',
      required: false,
      deprecated: true,
      description: `Old spelling of ${name}; removed in the next release.`,
      schema: { type: 'string' },
    }));
  const headers =
    r.method === 'POST' && r.path === '/v1/events'
      ? [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'Any 1 to 255 printable characters. The same key with the same body within 24 h answers the ' +
              'first response again (Idempotent-Replayed: true); with another body, 422.',
            schema: { type: 'string', maxLength: 255 },
            example: 'order-1042-paid',
          },
        ]
      : [];
  return [...params, ...query, ...aliases, ...headers];
};

const successOf = (r: RouteSpec, status = r.success.status) => {
  const other = r.alsoSucceeds?.find((o) => o.status === status);
  const example = other ? other.example : r.success.example;
  const success: Record<string, unknown> = {
    description: other?.description ?? r.success.description,
    headers: {
      'x-request-id': {
        description: 'The request id (yours, when you sent a sane x-request-id): quote it to support.',
        schema: { type: 'string' },
      },
    },
  };
  if (status !== 204) {
    const types = [r.success.contentType ?? 'application/json'].flat();
    success.content = Object.fromEntries(
      types.map((type) => [
        type,
        {
          schema: clone(r.success.schema ?? {}),
          ...(example !== undefined ? { example: clone(example) } : {}),
        },
      ]),
    );
  }
  return success;
};

const operationId = (r: RouteSpec) =>
  `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[/._-](\w)/g, (_, c: string) => c.toUpperCase())}`;

interface OpenApiOptions {
  /** Where the API is served, e.g. "/prod" behind an API Gateway stage; default "/". */
  readonly serverUrl?: string;
}

/** The OpenAPI 3.1 document, built from the same route records the router serves. */
export const buildOpenApi = (routes: readonly RouteSpec[], options: OpenApiOptions = {}) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const operation: Record<string, unknown> = {
      operationId: operationId(r),
      summary: r.summary,
      description: r.description,
      tags: [r.tag],
      parameters: parametersOf(r),
      responses: {
        [String(r.success.status)]: successOf(r),
        ...Object.fromEntries((r.alsoSucceeds ?? []).map((o) => [String(o.status), successOf(r, o.status)])),
        ...errorsOf(r),
      },
      ...(r.auth === 'public' ? { security: [] } : {}),
      // Which portal sessions may call it: those with this capability (absent: none).
      ...(r.portal ? { 'x-portal-capability': r.portal } : {}),
    };
    if (r.body) {
      operation.requestBody = {
        required: !r.optionalBody,
        description: (r.body as { description?: string }).description ?? 'The request body.',
        content: {
          'application/json': {
            schema: clone(r.body),
            ...(r.bodyExample !== undefined ? { example: clone(r.bodyExample) } : {}),
          },
        },
      };
    }
    // OpenAPI has no greedy variable: API Gateway's `{proxy+}` is written `{proxy}` here.
    const documented = r.path.replace(/\{(\w+)\+\}/g, '{$1}');
    const path = paths[documented] ?? {};
    path[r.method.toLowerCase()] = operation;
    paths[documented] = path;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hookrelay webhook delivery API',
      version: '1.0.0',
      description:
        'Send events; they are delivered as signed HTTP POSTs to your webhooks with retries, history and replay. ' +
        'Each webhook chooses its signature schemes (Standard Webhooks, Stripe-compatible, body HMAC), custom ' +
        'headers and a rate limit, and may subscribe to operational events (hookrelay.endpoint.disabled, ' +
        'hookrelay.endpoint.enabled, hookrelay.delivery.exhausted, hookrelay.endpoint.failing, ' +
        'hookrelay.endpoint.certificate_expiring). A webhook may also authenticate to its endpoint with OAuth2 ' +
        'client credentials or a client certificate (mutual TLS), and be asked to prove it owns its URL.\n\n' +
        'Authenticate with `Authorization: Bearer <key>`. Names, ids, envelopes, errors, pagination and ' +
        'timestamps follow one convention (docs/api.md): references are `<thing>_id`, lists page with ' +
        '`next_cursor` and `has_more`, times are ISO-8601 UTC, errors are `{"error": {code, message, details}}`.',
    },
    servers: [
      {
        url: options.serverUrl ?? '/',
        description: 'This API, where this document was served (behind an API Gateway stage: its prefix).',
      },
    ],
    security: [{ bearer: [] }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A tenant API key (hr_...), the admin key for the Tenants routes, or a portal session token ' +
            '(hrps_..., from POST /v1/portal/sessions) for the operations whose x-portal-capability it holds.',
        },
      },
      schemas: { Error: clone(errorResponse), GatewayError: clone(gatewayError) },
    },
    paths,
  };
};

export type OpenApiDocument = ReturnType<typeof buildOpenApi>;
