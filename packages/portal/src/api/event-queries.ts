import { useQuery } from '@tanstack/react-query';
import { useApi } from './api-context.js';
import { unwrap } from './failure.js';

/** One event with each endpoint's delivery and attempts; read again while deliveries are pending. */
export const useEvent = (id: string, options: { follow?: boolean } = {}) => {
  const api = useApi();
  return useQuery({
    queryKey: ['events', 'one', id],
    queryFn: () => unwrap(api.GET('/v1/events/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (options.follow && query.state.data?.status === 'PENDING' ? 2_000 : false),
  });
};
