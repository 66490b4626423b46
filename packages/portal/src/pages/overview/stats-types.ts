import type { Answer } from '@hookrelay/client';
import type { Tone } from '../../components/status-badge.js';

export type Stats = Answer<'/v1/stats', 'get'>;
export type SeriesPoint = Stats['series'][number];
export type FailingEndpoint = Stats['failing_endpoints'][number];

/** A failing endpoint's state in words (`satisfies` keeps the list equal to the API's enum). */
export const FAILING_STATES = {
  disabled: { label: 'Disabled by the platform', tone: 'bad' },
  circuit_open: { label: 'Not answering: deliveries wait', tone: 'bad' },
  failing: { label: 'Failing', tone: 'bad' },
  degraded: { label: 'Some attempts failed', tone: 'wait' },
} as const satisfies Record<FailingEndpoint['state'], { label: string; tone: Tone }>;
