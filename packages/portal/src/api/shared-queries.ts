import { useQuery } from '@tanstack/react-query';
import { useApi } from './api-context.js';
import { unwrap } from './failure.js';

/** The tenant's endpoints (at most 50, no pages), shared by every page that names them. */
export const useWebhooks = () => {
  const api = useApi();
  return useQuery({
    queryKey: ['webhooks'],
    queryFn: async () => (await unwrap(api.GET('/v1/webhooks'))).webhooks,
  });
};

/** The endpoint's URL for an id, when the list has it (deleted endpoints keep their id only). */
export const useWebhookUrls = (): ReadonlyMap<string, string> => {
  const webhooks = useWebhooks();
  return new Map((webhooks.data ?? []).map((w) => [w.id, w.url]));
};

export interface CatalogEntry {
  readonly type: string;
  readonly lastSeenAt: string;
  readonly exampleEventId: string;
  /** The example's data; absent when it was too large to keep. */
  readonly example?: unknown;
  readonly hasExample: boolean;
}

/** The event types this tenant has sent, by name, each with a recent event as its example. */
export const useEventCatalog = () => {
  const api = useApi();
  return useQuery({
    queryKey: ['catalog'],
    queryFn: async () => {
      const { event_types } = await unwrap(api.GET('/v1/event-types'));
      const entries: CatalogEntry[] = event_types.map((t) => ({
        type: t.type,
        lastSeenAt: t.last_seen_at,
        exampleEventId: t.example.event_id,
        example: t.example.data,
        hasExample: 'data' in t.example,
      }));
      return { entries };
    },
  });
};
