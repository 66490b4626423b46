import { describe, expect, it } from '@jest/globals';
import { exhaustedLetter, recordAttempt } from '../../src/attempt/record-attempt.js';
import type { AttemptReport } from '../../src/attempt/tell-tenant.js';
import { answered, eventOf, messageOf, NOW, recordingPorts, webhookOf } from './attempt-ports.js';

const sentOf = (status: number, attempt = 1) => {
  const event = eventOf({ attempt_count: attempt - 1, round_attempts: attempt - 1 });
  return {
    tenantId: 'acme',
    event,
    webhook: webhookOf(),
    delivery: { round_attempts: attempt - 1 },
    attempt,
    result: answered(status),
    finishedMs: NOW,
  };
};

/** The ports, with the stats' counters and the tenant's notices written down beside the store calls. */
const ports = (claim: 'claimed' | 'open' | 'lost' = 'claimed') => {
  const recording = recordingPorts({ claim });
  const samples: { success: boolean; ended?: string }[] = [];
  const told: AttemptReport[] = [];
  const deps = {
    ...recording.deps,
    counters: {
      record: (_t: string, _w: string, sample: { success: boolean; ended?: string }) => {
        samples.push({ success: sample.success, ...(sample.ended ? { ended: sample.ended } : {}) });
      },
    },
  };
  const tell = async (report: AttemptReport) => {
    told.push(report);
  };
  return { ...recording, deps, samples, told, tell };
};

describe('recordAttempt', () => {
  it('writes the attempt, claims it, counts it once, tells, and settles a delivery that ended', async () => {
    const p = ports();
    const { claim, decision } = await recordAttempt(p.deps, sentOf(200), { tell: p.tell });
    expect(claim).toBe('claimed');
    expect(decision.next).toEqual({ kind: 'delivered' });
    expect(p.calls).toEqual([
      'events.putAttempt',
      'events.claimAttempt',
      'webhooks.recordOutcome',
      'events.settle',
    ]);
    expect(p.samples).toEqual([{ success: true, ended: 'DELIVERED' }]);
    expect(p.told).toMatchObject([{ attempt: 1, exhausted: false, result: { ok: true } }]);
  });

  it('lets the line act on the decision before the claim, and settles nothing while a retry is due', async () => {
    const p = ports();
    const before: string[] = [];
    const { decision } = await recordAttempt(p.deps, sentOf(503), {
      beforeClaim: async ({ next }) => {
        before.push(`${next.kind} before ${p.calls.length} store calls`);
      },
    });
    expect(before).toEqual(['retry before 0 store calls']);
    // The schedule's second entry, 5 s, with the random draw's jitter (0.5: none).
    expect(decision.next).toEqual({ kind: 'retry', delayMs: 5_000, notBefore: NOW + 5_000 });
    expect(p.calls).toEqual(['events.putAttempt', 'events.claimAttempt', 'webhooks.recordOutcome']);
    expect(p.samples).toEqual([{ success: false }]);
  });

  it('tells the tenant a delivery is exhausted with its last attempt', async () => {
    const p = ports();
    const { decision } = await recordAttempt(p.deps, sentOf(500, 3), { tell: p.tell });
    expect(decision.next).toEqual({ kind: 'failed' });
    expect(p.told).toMatchObject([{ attempt: 3, exhausted: true, lastError: 'HTTP 500' }]);
    expect(p.samples).toEqual([{ success: false, ended: 'FAILED' }]);
  });

  it('does nothing more when another worker recorded the attempt first', async () => {
    const p = ports('lost');
    const { claim } = await recordAttempt(p.deps, sentOf(200), { tell: p.tell });
    expect(claim).toBe('lost');
    expect(p.calls).toEqual(['events.putAttempt', 'events.claimAttempt']);
    expect(p.samples).toEqual([]);
    expect(p.told).toEqual([]);
  });

  it('stands when telling the tenant fails', async () => {
    const p = ports();
    const failing = async () => {
      throw new Error('bus down');
    };
    await expect(recordAttempt(p.deps, sentOf(500, 3), { tell: failing })).resolves.toMatchObject({
      claim: 'claimed',
    });
    expect(p.calls).toContain('events.settle');
  });

  it('leaves an event with other deliveries open to the claim that closes it', async () => {
    const p = ports('open');
    await recordAttempt(p.deps, sentOf(200));
    expect(p.calls).not.toContain('events.settle');
  });
});

describe('exhaustedLetter', () => {
  it('carries the message with why, when and after how many attempts it ended', () => {
    expect(
      exhaustedLetter(
        messageOf({ attempt: 1 }),
        3,
        { status_code: 500 },
        { at: 'then', last_error: 'HTTP 500' },
      ),
    ).toEqual({
      ...messageOf({ attempt: 3 }),
      reason: 'exhausted',
      failed_at: 'then',
      attempts: 3,
      last_status_code: 500,
      last_error: 'HTTP 500',
    });
  });
});
