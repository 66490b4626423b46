import type {
  ClaimResult,
  DeadLetter,
  Delivery,
  DeliveryMessage,
  OutgoingMessage,
  StoredEvent,
  Webhook,
} from '@hookrelay/domain';
import type { SendResult } from '../../src/http-sender.js';

export const NOW = Date.parse('2026-12-06T10:00:00.000Z');
export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export const webhookOf = (over: Partial<Webhook> = {}): Webhook => ({
  id: 'wh_1',
  tenant_id: 'acme',
  url: 'https://example.com/in',
  active: true,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  delivery_success_count: 0,
  delivery_failure_count: 0,
  ...over,
});

export const eventOf = (delivery: Partial<Delivery> = {}, over: Partial<StoredEvent> = {}): StoredEvent => ({
  tenant_id: 'acme',
  event_id: 'evt_1',
  type: 'order.created',
  data: { n: 1 },
  status: 'PENDING',
  created_at: new Date(NOW - 1_000).toISOString(),
  updated_at: new Date(NOW - 1_000).toISOString(),
  deliveries: {
    wh_1: {
      webhook_id: 'wh_1',
      status: 'PENDING',
      attempt_count: 0,
      round_attempts: 0,
      updated_at: new Date(NOW - 1_000).toISOString(),
      ...delivery,
    },
  },
  ...over,
});

export const messageOf = (over: Partial<DeliveryMessage> = {}): DeliveryMessage => ({
  v: 1,
  tenant_id: 'acme',
  event_id: 'evt_1',
  webhook_id: 'wh_1',
  attempt: 1,
  ...over,
});

export const answered = (status: number, over: Partial<SendResult> = {}): SendResult => ({
  ok: status >= 200 && status < 300,
  status_code: status,
  duration_ms: 40,
  ...over,
});

/** What the in-memory ports hold: the stored event and webhook, and how the stores answer. */
export interface PortState {
  event?: StoredEvent;
  webhook?: Webhook;
  claim?: ClaimResult;
  probe?: boolean;
  rateWaitMs?: number;
}

/**
 * In-memory ports for one attempt: every store call is written down in `calls`, in order, as
 * `store.method`, and every message queued or dead-lettered is kept.
 */
export const recordingPorts = (state: PortState = {}) => {
  const calls: string[] = [];
  const queued: OutgoingMessage[] = [];
  const dead: DeadLetter[] = [];
  const note = <T>(name: string, value: T): Promise<T> => {
    calls.push(name);
    return Promise.resolve(value);
  };
  const deps = {
    events: {
      get: async () => note('events.get', state.event),
      settle: async () => note('events.settle', undefined),
      cancel: async (_t: string, _e: string, _at: string, _w: readonly string[], reason: string) =>
        note(`events.cancel ${reason}`, []),
      markWaiting: async () => note('events.markWaiting', undefined),
      putAttempt: async () => note('events.putAttempt', undefined),
      claimAttempt: async () => note('events.claimAttempt', state.claim ?? 'claimed'),
    },
    webhooks: {
      get: async () => note('webhooks.get', state.webhook),
      takeProbe: async () => note('webhooks.takeProbe', state.probe ?? true),
      recordOutcome: async () => note('webhooks.recordOutcome', state.webhook),
      markLane: async (_t: string, _w: string, change: string) => note(`webhooks.markLane ${change}`, true),
      noteUnanswered: async () => note('webhooks.noteUnanswered', undefined),
      noteAnswered: async () => note('webhooks.noteAnswered', undefined),
    },
    queue: {
      send: async (messages: readonly OutgoingMessage[]) => {
        queued.push(...messages);
        return note('queue.send', undefined);
      },
      deadLetter: async (message: DeadLetter) => {
        dead.push(message);
        return note('queue.deadLetter', undefined);
      },
    },
    rateLimiter: { take: async () => note('rateLimiter.take', state.rateWaitMs ?? 0) },
    secrets: { get: async () => note('secrets.get', [{ secret: SECRET }]) },
    clock: { now: () => NOW },
    schedule: [0, 5_000, 60_000] as readonly number[],
    random: () => 0.5,
  };
  return { deps, calls, queued, dead, state };
};
