/**
 * `load`, run on the first call and its promise shared by every later one; a failed load is
 * tried again on the next call rather than kept. What the API loads on first use (route groups,
 * idempotency, the OpenAPI document) goes through this.
 */
export const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
};
