import type { Principal } from '@hookrelay/domain';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Deps } from './deps.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Auth = 'public' | 'admin' | 'tenant';
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface RouteRequest {
  readonly principal: Principal;
  readonly body: unknown;
  readonly query: Record<string, unknown>;
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

export const route = (spec: RouteSpec): RouteSpec => spec;
