import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.js';
import { unwrap } from '../../api/failure.js';
import type { Webhook, WebhookInput } from './webhook-types.js';

export const useWebhook = (id: string) => {
  const api = useApi();
  return useQuery({
    queryKey: ['webhooks', id],
    queryFn: async () => (await unwrap(api.GET('/v1/webhooks/{id}', { params: { path: { id } } }))).webhook,
  });
};

export const useRecentAttempts = (id: string) => {
  const api = useApi();
  return useQuery({
    queryKey: ['webhooks', id, 'attempts'],
    queryFn: () =>
      unwrap(api.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 20 } } })),
  });
};

/** After a change, the list and the endpoint read again. */
const useRefreshWebhooks = () => {
  const queries = useQueryClient();
  return () => queries.invalidateQueries({ queryKey: ['webhooks'] });
};

export const useCreateWebhook = () => {
  const api = useApi();
  const refresh = useRefreshWebhooks();
  return useMutation({
    mutationFn: (body: WebhookInput) => unwrap(api.POST('/v1/webhooks', { body })),
    onSuccess: refresh,
  });
};

export const useUpdateWebhook = (id: string) => {
  const api = useApi();
  const refresh = useRefreshWebhooks();
  return useMutation({
    mutationFn: (body: Partial<WebhookInput>) =>
      unwrap(api.PATCH('/v1/webhooks/{id}', { params: { path: { id } }, body })),
    onSuccess: refresh,
  });
};

export const useDeleteWebhook = (id: string) => {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/v1/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      // The list may not be on screen to refetch: take the endpoint out of it now, so the page
      // shown next does not list it while it reads again.
      queries.setQueryData<Webhook[]>(['webhooks'], (list) => list?.filter((w) => w.id !== id));
      queries.removeQueries({ queryKey: ['webhooks', id] });
      return queries.invalidateQueries({ queryKey: ['webhooks'], exact: true });
    },
  });
};

export const useRotateSecret = (id: string) => {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/webhooks/{id}/rotate-secret', { params: { path: { id } } })),
  });
};

export const useTestEvent = (id: string) => {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/webhooks/{id}/test', { params: { path: { id } } })),
  });
};

/** Challenges the endpoint again; the endpoint reads again to show its new status. */
export const useVerifyEndpoint = (id: string) => {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/webhooks/{id}/verify', { params: { path: { id } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['webhooks', id], exact: true }),
  });
};

export const useRecoverFailures = (id: string) => {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (since: string) =>
      unwrap(api.POST('/v1/webhooks/{id}/recover', { params: { path: { id } }, body: { since } })),
    onSuccess: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['events'] }),
        queries.invalidateQueries({ queryKey: ['webhooks', id] }),
      ]),
  });
};
