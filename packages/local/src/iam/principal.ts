import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { ServiceName } from '@hookrelay/definitions/access';

/**
 * Which function a call is made by. On AWS a function's calls are signed with its role's
 * credentials; here every function runs in one process with the same ones, so the invoker
 * (the local API Gateway, an event source mapping, the scheduler) runs each invocation in the
 * function's context, and each AWS call the invocation makes carries the function's name to
 * the IAM front of the engine it calls (`front.ts`).
 */
export const PRINCIPAL_HEADER = 'x-hookrelay-local-principal';

const current = new AsyncLocalStorage<ServiceName>();

/** Runs `work` as `service`: every AWS call it makes, however deep, is checked as that function's. */
export const asFunction = <T>(service: ServiceName, work: () => T): T => {
  watchRequests();
  return current.run(service, work);
};

/** The function the current invocation belongs to, if any. */
export const currentFunction = (): ServiceName | undefined => current.getStore();

const ENDPOINT_VARIABLES = ['DYNAMODB', 'SQS', 'S3', 'EVENTBRIDGE'].map((name) => `AWS_ENDPOINT_URL_${name}`);
let endpointsSeen: { readonly key: string; readonly hosts: ReadonlySet<string> } | undefined;

/**
 * `host:port` of the AWS endpoints the process's functions are configured with, parsed again only
 * when the environment names others (a platform started again in the same process).
 */
const awsEndpoints = (): ReadonlySet<string> => {
  const urls = ENDPOINT_VARIABLES.map((name) => process.env[name] ?? '');
  const key = urls.join(' ');
  if (endpointsSeen?.key === key) return endpointsSeen.hosts;
  const hosts = new Set<string>();
  for (const url of urls) {
    if (!url) continue;
    try {
      hosts.add(new URL(url).host);
    } catch {
      // not a URL: nothing to mark
    }
  }
  endpointsSeen = { key, hosts };
  return hosts;
};

let watching = false;

/**
 * Marks every request to an AWS endpoint made inside `asFunction` with the function's name.
 * `http.client.request.created` is published before the request's headers are written, in the
 * caller's async context. Requests to anything else (a tenant's endpoint) are left alone.
 */
const watchRequests = (): void => {
  if (watching) return;
  watching = true;
  subscribe('http.client.request.created', (message) => {
    const service = current.getStore();
    if (!service) return;
    const request = (message as { request: ClientRequest }).request;
    const host = String(request.getHeader('host') ?? '');
    if (awsEndpoints().has(host)) request.setHeader(PRINCIPAL_HEADER, service);
  });
};

/** A handler whose every invocation runs as `service`, so that its AWS calls are checked as that function's. */
export const invokedAs =
  <E, C, R>(service: ServiceName, handler: (event: E, context: C) => Promise<R>) =>
  (event: E, context: C): Promise<R> =>
    asFunction(service, () => handler(event, context));
