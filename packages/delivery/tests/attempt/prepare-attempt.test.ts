import { DEFAULT_BREAKER_POLICY } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { activeEndpoint, prepareAttempt } from '../../src/attempt/prepare-attempt.js';
import { eventOf, messageOf, NOW, recordingPorts, webhookOf } from './attempt-ports.js';

describe('prepareAttempt', () => {
  it('goes ahead with the event, its delivery and the webhook when every check passes', async () => {
    const { deps, calls, queued } = recordingPorts({ event: eventOf(), webhook: webhookOf() });
    const prepared = await prepareAttempt(deps, messageOf(), 'main');
    expect(prepared).toMatchObject({
      nowMs: NOW,
      event: { event_id: 'evt_1' },
      delivery: { attempt_count: 0 },
      webhook: { id: 'wh_1' },
      probing: false,
    });
    expect(calls).toEqual(['events.get', 'webhooks.get']);
    expect(queued).toEqual([]);
  });

  it('sends a message back to wait when its retry is not due yet, reading nothing', async () => {
    const { deps, calls, queued } = recordingPorts({ event: eventOf(), webhook: webhookOf() });
    const outcome = await prepareAttempt(deps, messageOf({ not_before: NOW + 30_000 }), 'slow');
    expect(outcome).toEqual({ kind: 'deferred', delayMs: 30_000 });
    expect(queued).toEqual([
      { message: messageOf({ not_before: NOW + 30_000 }), delaySeconds: 30, lane: 'slow' },
    ]);
    expect(calls).toEqual(['queue.send']);
  });

  it('skips an attempt already recorded, settling an event its final delivery left PENDING', async () => {
    const event = eventOf({ status: 'DELIVERED', attempt_count: 1, round_attempts: 1 });
    const { deps, calls } = recordingPorts({ event, webhook: webhookOf() });
    expect(await prepareAttempt(deps, messageOf(), 'main')).toEqual({
      kind: 'skipped',
      reason: 'attempt 1 already handled',
    });
    expect(calls).toEqual(['events.get', 'events.settle']);
  });

  it('cancels the delivery of a disabled webhook without an attempt', async () => {
    const { deps, calls } = recordingPorts({ event: eventOf(), webhook: webhookOf({ active: false }) });
    expect(await prepareAttempt(deps, messageOf(), 'main')).toEqual({
      kind: 'cancelled',
      reason: 'webhook disabled',
    });
    expect(calls).toEqual(['events.get', 'webhooks.get', 'events.cancel webhook disabled']);
  });

  it('forwards a main-lane message of a quarantined endpoint to the slow lane, unattempted', async () => {
    const { deps, queued } = recordingPorts({ event: eventOf(), webhook: webhookOf({ lane: 'slow' }) });
    expect(await prepareAttempt(deps, messageOf(), 'main')).toEqual({ kind: 'forwarded', lane: 'slow' });
    expect(queued).toEqual([{ message: messageOf(), delaySeconds: 0, lane: 'slow' }]);
  });

  it('with one lane, goes ahead with a quarantined endpoint’s main-lane message: nothing forwarded', async () => {
    const { deps, calls, queued } = recordingPorts({
      event: eventOf(),
      webhook: webhookOf({ lane: 'slow' }),
    });
    const prepared = await prepareAttempt({ ...deps, deliveryLanes: 1 }, messageOf(), 'main');
    expect(prepared).toMatchObject({ webhook: { id: 'wh_1', lane: 'slow' }, probing: false });
    expect(queued).toEqual([]);
    expect(calls).toEqual(['events.get', 'webhooks.get']);
  });

  it('parks a delivery while its endpoint breaker is open, listing its event as PENDING once', async () => {
    const parkedUntil = new Date(NOW + 30_000).toISOString();
    const webhook = webhookOf({ unanswered: DEFAULT_BREAKER_POLICY.openAfter, parked_until: parkedUntil });
    const { deps, calls, queued } = recordingPorts({ event: eventOf(), webhook });
    const outcome = await prepareAttempt(deps, messageOf(), 'main');
    // 30 s, spread over a fifth more by the random draw (0.5): 33 s.
    expect(outcome).toEqual({ kind: 'parked', delayMs: 33_000 });
    expect(queued).toEqual([{ message: messageOf({ listed: true }), delaySeconds: 33, lane: 'main' }]);
    expect(calls).toEqual(['events.get', 'webhooks.get', 'events.markWaiting', 'queue.send']);
  });

  it('lets one probe through a half-open breaker, and parks the rest', async () => {
    const parkedUntil = new Date(NOW - 1).toISOString();
    const webhook = webhookOf({ unanswered: DEFAULT_BREAKER_POLICY.openAfter, parked_until: parkedUntil });
    const first = recordingPorts({ event: eventOf(), webhook, probe: true });
    expect(await prepareAttempt(first.deps, messageOf(), 'slow')).toMatchObject({ probing: true });
    const second = recordingPorts({ event: eventOf(), webhook, probe: false });
    expect(await prepareAttempt(second.deps, messageOf(), 'slow')).toMatchObject({ kind: 'parked' });
  });

  it('holds a rate-limited delivery in its lane for the next second', async () => {
    const webhook = webhookOf({ rate_limit: 5 });
    const { deps, queued } = recordingPorts({ event: eventOf(), webhook, rateWaitMs: 400 });
    expect(await prepareAttempt(deps, messageOf(), 'slow')).toEqual({ kind: 'rate_limited', delayMs: 400 });
    expect(queued).toEqual([{ message: messageOf({ listed: true }), delaySeconds: 1, lane: 'slow' }]);
  });

  it('comes back in a second for an event not written yet while its producer may still write it', async () => {
    const { deps, queued } = recordingPorts({ webhook: webhookOf() });
    const msg = messageOf({ commit_by: NOW + 10_000 });
    expect(await prepareAttempt(deps, msg, 'main')).toEqual({ kind: 'deferred', delayMs: 1_000 });
    expect(queued).toEqual([{ message: msg, delaySeconds: 1, lane: 'main' }]);
  });
});

describe('activeEndpoint', () => {
  it('names why a deleted, disabled or unverified webhook gets nothing', async () => {
    const reasons = [];
    for (const webhook of [
      undefined,
      webhookOf({ active: false }),
      webhookOf({ verification: 'challenge' }),
    ]) {
      const { deps } = recordingPorts({ webhook });
      reasons.push(await activeEndpoint(deps, messageOf(), NOW));
    }
    expect(reasons).toEqual([
      { cancelled: 'webhook deleted' },
      { cancelled: 'webhook disabled' },
      { cancelled: 'webhook unverified' },
    ]);
  });
});
