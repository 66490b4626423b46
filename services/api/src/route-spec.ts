import type { PortalCapability, Principal } from '@hookrelay/domain';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Deps } from './deps.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Who may call: anyone, the admin key, a tenant (key, or portal session per `portal`), a portal session only. */
type Auth = 'public' | 'admin' | 'tenant' | 'portal';
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The files routes are declared in (`routes/<group>.ts`); the API loads each on its first request. */
export type RouteGroup = 'system' | 'tenants' | 'webhooks' | 'events' | 'sources' | 'portal';

/** What the router knows of a route before its group is loaded (`generated/route-index.js`). */
export interface RouteEntry {
  readonly method: Method;
  readonly path: string;
  readonly auth: Auth;
  readonly group: RouteGroup;
}

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
  /** One line, shown in lists of operations. */
  readonly summary: string;
  /** What the operation does, its rules and what it answers, for a person reading the docs. */
  readonly description: string;
  readonly tag: Tag;
  /**
   * The capability a portal session needs to call this tenant route; absent, no portal session
   * may call it (keys, portal sessions themselves, tenant settings).
   */
  readonly portal?: PortalCapability;
  readonly body?: JsonSchema;
  /** The body may be left out entirely (no body, no content type): the handler gets `null`. */
  readonly optionalBody?: boolean;
  /** A realistic request body, shown by Swagger UI and ReDoc (and checked against `body`). */
  readonly bodyExample?: unknown;
  readonly query?: JsonSchema;
  readonly success: {
    readonly status: number;
    readonly description: string;
    readonly schema?: JsonSchema;
    /** Default application/json; several when the body may come as any of them. */
    readonly contentType?: string | readonly string[];
    /** A realistic response body (checked against `schema`). */
    readonly example?: unknown;
  };
  /** Other successful statuses with the same body schema (a batch's 207). */
  readonly alsoSucceeds?: readonly {
    readonly status: number;
    readonly description: string;
    readonly example: unknown;
  }[];
  /** Errors this operation answers beyond those its auth, path and body imply. */
  readonly errors?: Readonly<Partial<Record<404 | 409 | 422, ErrorExample>>>;
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

/** An error an operation may answer: its code and a typical message (the doc's example). */
export interface ErrorExample {
  readonly code: string;
  readonly message: string;
}

/** The groups of the API reference, in order; the OpenAPI tags. */
export const TAGS = {
  Events: 'Send events and follow their deliveries: list, inspect, retry, cancel, export, stats.',
  Webhooks:
    'Your endpoints: where events are delivered, which types, how they are signed; test deliveries, ' +
    'attempt history, secret rotation and recovery of failed deliveries.',
  Inbound:
    'Sources that receive webhooks from providers (Stripe, GitHub, Shopify, Slack, Standard Webhooks, ' +
    'HMAC): verified, archived and routed to your event bus.',
  Portal:
    'The tenant portal: links that open it for one tenant (read, or read and manage), and the page itself.',
  Tenants: "Tenant accounts and their API keys (admin key), and the calling tenant's own profile.",
  System: 'Liveness, this document and its reference pages (public, no key).',
} as const;
export type Tag = keyof typeof TAGS;
