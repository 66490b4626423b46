import type { Principal } from '@hookrelay/domain';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Deps } from './deps.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Auth = 'public' | 'admin' | 'tenant';
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * A request as a handler sees it, once the router has validated it: `body` and `query` have
 * the types their schemas give (json-schema-to-ts), since ajv checked them against the same
 * schemas (and filled the query's defaults in).
 */
export interface RouteRequest<Body = unknown, Query = Record<string, unknown>> {
  readonly principal: Principal;
  readonly body: Body;
  readonly query: Query;
  readonly params: Record<string, string>;
  readonly headers: Record<string, string | undefined>;
  readonly event: APIGatewayProxyEvent;
  readonly context: Context;
}

/**
 * One route: what the router dispatches, what the gateway (local and AWS) protects, and what
 * the OpenAPI document describes are all read from these records.
 */
export interface RouteSpec {
  readonly method: Method;
  readonly path: string;
  readonly auth: Auth;
  readonly summary: string;
  readonly tag: string;
  readonly body?: JsonSchema;
  readonly query?: JsonSchema;
  readonly success: { readonly status: number; readonly schema?: JsonSchema; readonly contentType?: string };
  readonly handle: (req: RouteRequest, deps: Deps) => Promise<APIGatewayProxyResult>;
}

/** What a schema validates, as a type; no schema, no value. */
type Validated<S, Absent> = S extends JSONSchema ? FromSchema<S> : Absent;

/**
 * Declares a route whose handler is typed from the schemas that validate it: `req.body` is
 * `FromSchema<typeof body>`, `req.query` is `FromSchema<typeof query>`; no cast in a handler.
 *
 * @example route({ method: 'POST', path: '/v1/webhooks', body: createWebhookBody, ..., handle: (req) => req.body.url })
 */
export const route = <
  const B extends JSONSchema | undefined = undefined,
  const Q extends JSONSchema | undefined = undefined,
>(
  spec: Omit<RouteSpec, 'body' | 'query' | 'handle'> & {
    readonly body?: B;
    readonly query?: Q;
    readonly handle: (
      req: RouteRequest<Validated<B, undefined>, Validated<Q, Record<string, never>>>,
      deps: Deps,
    ) => Promise<APIGatewayProxyResult>;
  },
): RouteSpec =>
  // The router validates body and query against these schemas before it calls `handle`.
  spec as unknown as RouteSpec;
