import { describe, expect, it } from '@jest/globals';
import { recordOnLane } from '../../src/attempt/record-on-lane.js';
import { answered, eventOf, messageOf, NOW, recordingPorts, webhookOf } from './attempt-ports.js';

const prepared = (over: { probing?: boolean; attempt?: number } = {}) => {
  const attempt = over.attempt ?? 1;
  const event = eventOf({ attempt_count: attempt - 1, round_attempts: attempt - 1 });
  const delivery = event.deliveries.wh_1;
  if (!delivery) throw new Error('fixture without its delivery');
  return { nowMs: NOW, event, delivery, webhook: webhookOf(), probing: over.probing ?? false };
};

describe('recordOnLane', () => {
  it("queues a retry's message on the lane its endpoint is now on, before the claim", async () => {
    const { deps, calls, queued } = recordingPorts();
    const outcome = await recordOnLane(deps, messageOf(), prepared(), {
      result: answered(503, { duration_ms: 12_000 }),
      quarantined: Promise.resolve(true),
    });
    expect(outcome).toMatchObject({ kind: 'retry', attempt: 1, delayMs: 5_000, lane_change: 'quarantine' });
    expect(queued).toEqual([
      { message: messageOf({ attempt: 2, not_before: NOW + 5_000 }), delaySeconds: 5, lane: 'slow' },
    ]);
    expect(calls.indexOf('queue.send')).toBeLessThan(calls.indexOf('events.claimAttempt'));
  });

  it('with one lane, queues the retry of an endpoint just quarantined in the main queue', async () => {
    const { deps, queued } = recordingPorts();
    const outcome = await recordOnLane({ ...deps, deliveryLanes: 1 }, messageOf(), prepared(), {
      result: answered(503, { duration_ms: 12_000 }),
      quarantined: Promise.resolve(true),
    });
    expect(outcome).toMatchObject({ kind: 'retry', lane_change: 'quarantine' });
    expect(queued).toEqual([
      { message: messageOf({ attempt: 2, not_before: NOW + 5_000 }), delaySeconds: 5, lane: 'main' },
    ]);
  });

  it('dead-letters a last attempt before its claim says FAILED', async () => {
    const { deps, calls, dead } = recordingPorts();
    const outcome = await recordOnLane(
      deps,
      messageOf({ attempt: 3, not_before: NOW }),
      prepared({ attempt: 3 }),
      {
        result: answered(500),
      },
    );
    expect(outcome).toMatchObject({ kind: 'failed', attempt: 3 });
    expect(dead).toEqual([
      {
        ...messageOf({ attempt: 3 }),
        reason: 'exhausted',
        failed_at: new Date(NOW).toISOString(),
        attempts: 3,
        last_status_code: 500,
        last_error: 'HTTP 500',
      },
    ]);
    expect(calls.indexOf('queue.deadLetter')).toBeLessThan(calls.indexOf('events.claimAttempt'));
  });

  it('tells the breaker of an unanswered attempt, and of the answer that ends a probe', async () => {
    const unanswered = recordingPorts();
    await recordOnLane(unanswered.deps, messageOf(), prepared(), {
      result: { ok: false, error_kind: 'refused', duration_ms: 3 },
    });
    expect(unanswered.calls).toContain('webhooks.noteUnanswered');
    const probe = recordingPorts();
    await recordOnLane(probe.deps, messageOf(), prepared({ probing: true }), { result: answered(200) });
    expect(probe.calls).toContain('webhooks.noteAnswered');
  });

  it('hands an abandoned attempt to the slow lane at once, spending no step of the schedule', async () => {
    const { deps, calls, queued } = recordingPorts();
    const outcome = await recordOnLane(deps, messageOf(), prepared(), {
      result: { ok: false, duration_ms: 5_000, abandoned: true },
    });
    expect(outcome).toEqual({ kind: 'forwarded', lane: 'slow', abandoned_after_ms: 5_000 });
    expect(queued).toEqual([
      { message: messageOf({ attempt: 2, not_before: NOW }), delaySeconds: 0, lane: 'slow' },
    ]);
    expect(calls).toEqual([
      'webhooks.markLane quarantine',
      'queue.send',
      'events.putAttempt',
      'events.claimAttempt',
    ]);
  });
});
