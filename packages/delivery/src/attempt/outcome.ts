import type { Lane, LaneMove } from '@hookrelay/domain';
import type { SendResult } from '../http-sender.js';

/** What processing one message of a lane came to. */
export type Outcome =
  | { kind: 'delivered'; attempt: number; result: SendResult; lane_change?: LaneMove }
  | { kind: 'retry'; attempt: number; delayMs: number; result: SendResult; lane_change?: LaneMove }
  | { kind: 'failed'; attempt: number; result: SendResult; lane_change?: LaneMove }
  | { kind: 'forwarded'; lane: Lane; abandoned_after_ms?: number }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'deferred'; delayMs: number }
  | { kind: 'rate_limited'; delayMs: number }
  | { kind: 'parked'; delayMs: number }
  | { kind: 'skipped'; reason: string };
