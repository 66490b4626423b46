import type { Answer } from '@hookrelay/client';

export type Stats = Answer<'/v1/stats', 'get'>;
export type SeriesPoint = Stats['series'][number];
export type FailingEndpoint = Stats['failing_endpoints'][number];

/** A failing endpoint's state in words (`satisfies` keeps the list equal to the API's enum). */
export const FAILING_STATES = {
  disabled: 'Disabled by the platform',
  circuit_open: 'Not answering: deliveries wait',
  failing: 'Failing',
  degraded: 'Some attempts failed',
} as const satisfies Record<FailingEndpoint['state'], string>;
