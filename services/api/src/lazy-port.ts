/** A port whose every member is a method answering with a promise (every store, queue and sender). */
type AsyncPort<T> = { readonly [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * Ports whose adapters are built on the first call to any of them: each method of `port(name)`
 * waits for `load`, then calls the adapter's own. What the API reaches through its ports (the
 * stores, the queues, the delivery sender, and the SDK commands they send) is then not compiled
 * at a cold start, only by the first request that calls one (docs/benchmarks.md, cold start). A
 * failed load fails that call as a failing adapter would; `load` decides whether the next call
 * tries again (`once` does). Only ports whose members are all async methods qualify: a port is
 * never awaited or read as a value.
 *
 * @example
 * const port = lazyPorts(once(async () => (await import('./aws-ports.js')).awsPorts(settings)));
 * const tenants = port('tenants'); // nothing loaded yet
 * await tenants.get('acme'); // loads the chunk, builds the stores, then reads
 */
export const lazyPorts =
  <P extends { readonly [K in keyof P]: AsyncPort<P[K]> }>(load: () => Promise<P>) =>
  <K extends keyof P>(name: K): P[K] =>
    new Proxy({} as P[K] & object, {
      get: (_target, method) => {
        if (typeof method !== 'string' || method === 'then') return undefined;
        return async (...args: unknown[]) => {
          const port = (await load())[name] as Record<string, (...a: unknown[]) => Promise<unknown>>;
          const call = port[method];
          if (typeof call !== 'function') throw new TypeError(`${String(name)}.${method} is not a method`);
          return call.apply(port, args);
        };
      },
    });
