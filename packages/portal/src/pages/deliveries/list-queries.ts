import { useInfiniteQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.js';
import { unwrap } from '../../api/failure.js';
import { isoOfLocal } from '../../components/datetime-field.js';
import type { DeliveryFilters } from './delivery-filters.js';

const PAGE = 25;

const rangeOf = (f: DeliveryFilters) => {
  const after = f.from ? isoOfLocal(f.from) : undefined;
  const before = f.to ? isoOfLocal(f.to) : undefined;
  return { ...(after ? { created_after: after } : {}), ...(before ? { created_before: before } : {}) };
};

/** Events newest first, a page at a time (the API's signed cursor). */
export const useEventPages = (filters: DeliveryFilters) => {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['events', 'list', filters],
    enabled: !filters.endpoint,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/events', {
          params: {
            query: {
              limit: PAGE,
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.type ? { type: filters.type } : {}),
              ...rangeOf(filters),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
};

/** One endpoint's attempts newest first, a page at a time. */
export const useEndpointAttemptPages = (filters: DeliveryFilters) => {
  const api = useApi();
  const id = filters.endpoint ?? '';
  return useInfiniteQuery({
    queryKey: ['webhooks', id, 'attempts', 'pages', filters],
    enabled: !!filters.endpoint,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/webhooks/{id}/deliveries', {
          params: {
            path: { id },
            query: { limit: PAGE, ...rangeOf(filters), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
};
