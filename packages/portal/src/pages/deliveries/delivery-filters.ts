import { useSearchParams } from 'react-router';
import { sessionQuery } from '../../app/placement.js';

export const STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'CANCELLED'] as const;
export type EventStatus = (typeof STATUSES)[number];

export interface DeliveryFilters {
  readonly status?: EventStatus;
  readonly type?: string;
  readonly endpoint?: string;
  /** datetime-local values, in the reader's zone */
  readonly from?: string;
  readonly to?: string;
}

const KEYS = ['status', 'type', 'endpoint', 'from', 'to'] as const;

const isStatus = (v: string | null): v is EventStatus => (STATUSES as readonly string[]).includes(v ?? '');

/** The filters live in the address (deep links, back button), beside the link's `session`. */
export const useDeliveryFilters = (): [DeliveryFilters, (next: DeliveryFilters) => void] => {
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const filters: DeliveryFilters = {
    ...(isStatus(status) ? { status } : {}),
    ...Object.fromEntries(
      (['type', 'endpoint', 'from', 'to'] as const).flatMap((k) =>
        params.get(k) ? [[k, params.get(k)]] : [],
      ),
    ),
  };
  const apply = (next: DeliveryFilters) => {
    const out = new URLSearchParams();
    const session = sessionQuery() ?? params.get('session');
    if (session) out.set('session', session);
    for (const k of KEYS) if (next[k]) out.set(k, String(next[k]));
    setParams(out);
  };
  return [filters, apply];
};
