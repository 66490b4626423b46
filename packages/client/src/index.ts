import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './generated/schema.js';

export type { components, Middleware, operations, paths };

/** A client of the Hookrelay API; every path, parameter, body and answer typed from the document. */
export type HookrelayClient = Client<paths>;

export interface HookrelayClientOptions {
  /** Where the API is served, with a stage prefix if it has one: `https://….execute-api….amazonaws.com/prod`. */
  readonly baseUrl: string;
  /** A tenant key (`hr_…`), or the admin key for the tenant routes; none for the public routes. */
  readonly apiKey?: string;
  /** Another fetch (tests, retries, proxies); defaults to the global one. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

/**
 * The typed client, generated from the API's OpenAPI document (`openapi-typescript` types,
 * `openapi-fetch` runtime). Calls answer `{ data, error, response }`: `data` on 2xx, `error`
 * otherwise: the `{error: {code, message, details}}` envelope, or, for a refused key or throttling
 * behind an HTTP API front door, API Gateway's own `{message}` (`apiError` tells them apart).
 *
 * @example
 * const hookrelay = createHookrelayClient({ baseUrl: 'http://127.0.0.1:3000', apiKey: process.env.HOOKRELAY_KEY });
 * const { data, error } = await hookrelay.POST('/v1/events', { body: { type: 'invoice.paid', data: { invoice_id: 'in_1042' } } });
 * if (data) console.log(data.event_id, data.status);
 */
export const createHookrelayClient = (options: HookrelayClientOptions): HookrelayClient =>
  createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.apiKey ? { headers: { authorization: `Bearer ${options.apiKey}` } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

/** The body a successful call of `method path` answers. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? {
      [S in keyof R]: S extends 200 | 201 | 202 | 207
        ? R[S] extends { content: { 'application/json': infer B } }
          ? B
          : never
        : never;
    }[keyof R]
  : never;

/** The platform's error envelope, as every function of the API answers it. */
export type ApiError = components['schemas']['Error']['error'];

/**
 * The `{code, message, details}` of an error answer, or undefined when API Gateway answered by
 * itself (`{message}`: an HTTP API front door refusing a key, throttling, or a route it lacks).
 *
 * @example
 * const { error } = await hookrelay.GET('/v1/webhooks/{id}', { params: { path: { id } } });
 * if (apiError(error)?.code === 'not_found') …
 */
export const apiError = (error: unknown): ApiError | undefined =>
  typeof error === 'object' && error !== null && 'error' in error
    ? (error as { error: ApiError }).error
    : undefined;
