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
  readonly latestEventId: string;
  readonly latestAt: string;
  readonly seen: number;
}

/** Events read to build the catalog: the newest few hundred tell which types are in use. */
const CATALOG_PAGES = 5;

/**
 * The event types this tenant has sent, newest first, each with its latest event (whose payload
 * is the example), from the newest pages of GET /v1/events.
 */
export const useEventCatalog = () => {
  const api = useApi();
  return useQuery({
    queryKey: ['catalog'],
    queryFn: async () => {
      const byType = new Map<string, CatalogEntry>();
      let cursor: string | undefined;
      let complete = false;
      for (let page = 0; page < CATALOG_PAGES; page++) {
        const { events, next_cursor } = await unwrap(
          api.GET('/v1/events', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }),
        );
        for (const e of events) {
          const known = byType.get(e.type);
          if (known) byType.set(e.type, { ...known, seen: known.seen + 1 });
          else
            byType.set(e.type, { type: e.type, latestEventId: e.event_id, latestAt: e.created_at, seen: 1 });
        }
        if (!next_cursor) {
          complete = true;
          break;
        }
        cursor = next_cursor;
      }
      return { entries: [...byType.values()], complete };
    },
  });
};
