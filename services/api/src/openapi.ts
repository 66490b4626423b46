import type { JsonSchema, RouteSpec } from './route-spec.js';
import { errorResponse } from './schemas.js';

const ERRORS: Readonly<Record<number, string>> = {
  400: 'Invalid input; details name the fields',
  401: 'Missing or invalid API key',
  403: 'The key may not do this',
  404: 'Not found (or belongs to another tenant)',
  409: 'Conflicts with the current state',
  413: 'Body too large',
  415: 'Body is not JSON',
  422: 'Idempotency key reused with another body',
  429: 'Throttled',
};

/** Drops ajv-only keywords OpenAPI tooling does not need and keeps the rest as is. */
const clean = (schema: JsonSchema): JsonSchema => JSON.parse(JSON.stringify(schema)) as JsonSchema;

/** The OpenAPI 3.1 document, built from the same route records the router serves. */
export const buildOpenApi = (routes: readonly RouteSpec[]) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const queryProps = (r.query?.properties ?? {}) as Record<string, JsonSchema>;
    const required = (r.query?.required ?? []) as string[];
    const query = Object.entries(queryProps).map(([name, schema]) => ({
      name,
      in: 'query',
      required: required.includes(name),
      schema: clean(schema),
    }));
    const headers =
      r.method === 'POST' && r.path === '/v1/events'
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 255 },
            },
          ]
        : [];
    const errorCodes = [400, 404, 413, 415, 429, ...(r.auth === 'public' ? [] : [401, 403, 409, 422])].sort();
    const success: Record<string, unknown> = { description: 'Success' };
    if (r.success.status !== 204) {
      success.content = {
        [r.success.contentType ?? 'application/json']: { schema: clean(r.success.schema ?? {}) },
      };
    }
    const operation: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, '').replace(/[/.-](\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: r.summary,
      tags: [r.tag],
      parameters: [...params, ...query, ...headers],
      responses: {
        [String(r.success.status)]: success,
        ...Object.fromEntries(
          errorCodes.map((code) => [
            String(code),
            {
              description: ERRORS[code],
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          ]),
        ),
      },
      ...(r.auth === 'public' ? { security: [] } : {}),
    };
    if (r.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: clean(r.body) } } };
    }
    const path = paths[r.path] ?? {};
    path[r.method.toLowerCase()] = operation;
    paths[r.path] = path;
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
        'hookrelay.endpoint.enabled, hookrelay.delivery.exhausted, hookrelay.endpoint.failing).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Tenant or admin API key' } },
      schemas: { Error: clean(errorResponse) },
    },
    paths,
  };
};
