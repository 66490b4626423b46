import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.js';
import { unwrap } from '../../api/failure.js';
import type { SourceInput } from './source-types.js';

export const useSources = () => {
  const api = useApi();
  return useQuery({
    queryKey: ['sources'],
    queryFn: async () => (await unwrap(api.GET('/v1/sources'))).sources,
  });
};

export const useSource = (id: string) => {
  const api = useApi();
  return useQuery({
    queryKey: ['sources', id],
    queryFn: async () => (await unwrap(api.GET('/v1/sources/{id}', { params: { path: { id } } }))).source,
  });
};

/** What a source received, newest first, paged; read again every few seconds to show arrivals. */
export const useReceivedRequests = (id: string) => {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['sources', id, 'requests'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/sources/{id}/requests', {
          params: { path: { id }, query: { limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: 5_000,
  });
};

export const useReceivedRequest = (id: string) => {
  const api = useApi();
  return useQuery({
    queryKey: ['inbound', id],
    queryFn: () => unwrap(api.GET('/v1/inbound/{id}', { params: { path: { id } } })),
    // The body shows once the request is processed (it is archived then): read again until it is.
    refetchInterval: (query) => (query.state.data && query.state.data.body === undefined ? 2_000 : false),
  });
};

export const useCreateSource = () => {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: SourceInput) => unwrap(api.POST('/v1/sources', { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['sources'] }),
  });
};

export const useRotateSourceSecret = (id: string) => {
  const api = useApi();
  return useMutation({
    mutationFn: (secret: string | undefined) =>
      unwrap(
        api.POST('/v1/sources/{id}/rotate-secret', {
          params: { path: { id } },
          ...(secret ? { body: { secret } } : {}),
        }),
      ),
  });
};

export const useReplay = (id: string) => {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/inbound/{id}/replay', { params: { path: { id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['inbound', id] }),
  });
};
