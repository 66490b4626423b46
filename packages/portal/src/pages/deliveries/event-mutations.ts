import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/api-context.js';
import { unwrap } from '../../api/failure.js';

const useRefreshEvents = () => {
  const queries = useQueryClient();
  return () => queries.invalidateQueries({ queryKey: ['events'] });
};

/** Reopens the event's failed deliveries, each on a fresh retry schedule. */
export const useRetryEvent = (id: string) => {
  const api = useApi();
  const refresh = useRefreshEvents();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/v1/events/{id}/retry', { params: { path: { id } } })),
    onSuccess: refresh,
  });
};

/** Sends the event to one endpoint again, now. */
export const useResend = (id: string, webhookId: string) => {
  const api = useApi();
  const refresh = useRefreshEvents();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/events/{id}/deliveries/{webhook_id}/resend', {
          params: { path: { id, webhook_id: webhookId } },
        }),
      ),
    onSuccess: refresh,
  });
};
