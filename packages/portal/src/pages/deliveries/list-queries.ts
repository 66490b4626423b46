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

/** Events newest first, with the filters (an endpoint: those delivered to it), a page at a time. */
export const useEventPages = (filters: DeliveryFilters) => {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['events', 'list', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/events', {
          params: {
            query: {
              limit: PAGE,
              ...(filters.status ? { status: filters.status } : {}),
              ...(filters.type ? { type: filters.type } : {}),
              ...(filters.endpoint ? { webhook_id: filters.endpoint } : {}),
              ...rangeOf(filters),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
};
