import { DEFAULT_LANE_POLICY } from '@hookrelay/domain';
import { verify } from '@hookrelay/signing';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { watchOnLane } from '../../src/attempt/lane-watch.js';
import { sendAttempt } from '../../src/attempt/send-attempt.js';
import type { SendOptions, SendRequest, SendResult } from '../../src/http-sender.js';
import { answered, eventOf, NOW, recordingPorts, SECRET, webhookOf } from './attempt-ports.js';

/** A sender that keeps what it was given and answers 200. */
const keepingSender = () => {
  const sent: { request: SendRequest; options?: SendOptions }[] = [];
  return {
    sent,
    send: async (request: SendRequest, options?: SendOptions): Promise<SendResult> => {
      sent.push({ request, ...(options ? { options } : {}) });
      return answered(200);
    },
  };
};

describe('sendAttempt', () => {
  it("posts the event's envelope to the webhook's URL, signed with its secrets", async () => {
    const { deps } = recordingPorts();
    const sender = keepingSender();
    const event = eventOf();
    const result = await sendAttempt(
      { ...deps, sender },
      { tenantId: 'acme', event, webhook: webhookOf(), nowMs: NOW },
    );
    expect(result).toEqual(answered(200));
    const [only] = sender.sent;
    expect(only?.request.url).toBe('https://example.com/in');
    expect(JSON.parse(only?.request.body ?? '')).toMatchObject({
      id: 'evt_1',
      type: 'order.created',
      data: { n: 1 },
    });
    // Signed with the webhook's secret, as a receiver checks it.
    expect(
      verify({
        body: only?.request.body ?? '',
        headers: only?.request.headers ?? {},
        secrets: [SECRET],
        now: Math.floor(NOW / 1000),
      }),
    ).toMatchObject({ ok: true });
    // Without a watch the request cannot be abandoned.
    expect(only?.options).toBeUndefined();
  });

  it('starts its watch as the request goes out, hands the request its signal, and stops it after', async () => {
    const { deps } = recordingPorts();
    const sender = keepingSender();
    const steps: string[] = [];
    const giveUp = new AbortController();
    await sendAttempt(
      { ...deps, sender },
      { tenantId: 'acme', event: eventOf(), webhook: webhookOf(), nowMs: NOW },
      {
        start: () => {
          steps.push(`start with ${sender.sent.length} sent`);
          return giveUp.signal;
        },
        stop: () => steps.push(`stop with ${sender.sent.length} sent`),
      },
    );
    expect(steps).toEqual(['start with 0 sent', 'stop with 1 sent']);
    expect(sender.sent[0]?.options?.signal).toBe(giveUp.signal);
  });
});

describe('watchOnLane', () => {
  afterEach(() => {
    jest.useRealTimers();
  });
  const policy = { ...DEFAULT_LANE_POLICY, slowAfterMs: 2_000, mainLaneBudgetMs: 5_000 };

  it('quarantines a main-lane endpoint once its attempt is slow, and abandons the attempt past the budget', async () => {
    jest.useFakeTimers();
    const { deps, calls } = recordingPorts();
    const watch = watchOnLane(deps, webhookOf(), 'main', policy);
    const signal = watch.start();
    jest.advanceTimersByTime(2_000);
    expect(await watch.quarantined()).toBe(true);
    expect(calls).toEqual(['webhooks.markLane quarantine']);
    expect(signal.aborted).toBe(false);
    jest.advanceTimersByTime(3_000);
    expect(signal.aborted).toBe(true);
  });

  it('with one lane, quarantines a slow main-lane endpoint but never abandons its attempt: there is no other lane', async () => {
    jest.useFakeTimers();
    const { deps, calls } = recordingPorts();
    const watch = watchOnLane(deps, webhookOf(), 'main', policy, 1);
    const signal = watch.start();
    jest.advanceTimersByTime(2_000);
    expect(await watch.quarantined()).toBe(true);
    jest.advanceTimersByTime(60_000);
    expect(signal.aborted).toBe(false);
    expect(calls).toEqual(['webhooks.markLane quarantine']);
  });

  it('leaves a slow-lane attempt alone: no quarantine, no budget', () => {
    jest.useFakeTimers();
    const { deps, calls } = recordingPorts();
    const watch = watchOnLane(deps, webhookOf({ lane: 'slow' }), 'slow', policy);
    const signal = watch.start();
    jest.advanceTimersByTime(60_000);
    expect(watch.quarantined()).toBeUndefined();
    expect(signal.aborted).toBe(false);
    expect(calls).toEqual([]);
  });

  it('does nothing once stopped', () => {
    jest.useFakeTimers();
    const { deps, calls } = recordingPorts();
    const watch = watchOnLane(deps, webhookOf(), 'main', policy);
    const signal = watch.start();
    watch.stop();
    jest.advanceTimersByTime(60_000);
    expect(signal.aborted).toBe(false);
    expect(calls).toEqual([]);
  });
});
