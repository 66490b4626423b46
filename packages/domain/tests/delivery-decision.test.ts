import { describe, expect, it } from '@jest/globals';
import { DISABLE_AFTER_FAILING_MS, decideAttempt } from '../src/index.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const schedule = [0, 5_000, 60_000];
const noJitter = () => 0.5;
const context = (over: Partial<Parameters<typeof decideAttempt>[1]> = {}) => ({
  attempt: 1,
  roundAttempts: 0,
  finishedMs: T0,
  schedule,
  random: noJitter,
  ...over,
});

describe('decideAttempt', () => {
  it('a 2xx delivers: the delivery is DELIVERED and nothing follows', () => {
    const decision = decideAttempt({ ok: true, status_code: 200 }, context());
    expect(decision).toEqual({
      update: {
        status: 'DELIVERED',
        attempt_count: 1,
        round_attempts: 1,
        at: '2026-01-01T00:00:00.000Z',
        last_status_code: 200,
      },
      next: { kind: 'delivered' },
    });
  });

  it('a 5xx with schedule left waits the next delay: PENDING, due then, with the error kept', () => {
    const decision = decideAttempt({ ok: false, status_code: 503 }, context());
    expect(decision.next).toEqual({ kind: 'retry', delayMs: 5_000, notBefore: T0 + 5_000 });
    expect(decision.update).toMatchObject({
      status: 'PENDING',
      attempt_count: 1,
      round_attempts: 1,
      next_attempt_at: '2026-01-01T00:00:05.000Z',
      last_status_code: 503,
      last_error: 'HTTP 503',
    });
    expect(decision.disable).toBeUndefined();
  });

  it('Retry-After stretches the wait beyond the schedule entry', () => {
    const decision = decideAttempt({ ok: false, status_code: 429, retry_after_ms: 30_000 }, context());
    expect(decision.next).toEqual({ kind: 'retry', delayMs: 30_000, notBefore: T0 + 30_000 });
  });

  it('a transport error is described by its kind and message', () => {
    const decision = decideAttempt({ ok: false, error_kind: 'refused', error: 'ECONNREFUSED' }, context());
    expect(decision.update.last_error).toBe('refused: ECONNREFUSED');
    expect(decision.update.last_status_code).toBeUndefined();
  });

  it('the schedule used up ends the delivery FAILED without disabling the webhook', () => {
    const decision = decideAttempt(
      { ok: false, status_code: 500 },
      context({ attempt: 3, roundAttempts: 2 }),
    );
    expect(decision.next).toEqual({ kind: 'failed' });
    expect(decision.update).toMatchObject({ status: 'FAILED', attempt_count: 3, round_attempts: 3 });
    expect(decision.update.next_attempt_at).toBeUndefined();
    expect(decision.disable).toBeUndefined();
  });

  it('410 Gone ends the delivery at once and disables the webhook, schedule left or not', () => {
    const decision = decideAttempt({ ok: false, status_code: 410 }, context());
    expect(decision.next).toEqual({ kind: 'failed' });
    expect(decision.disable).toBe('the endpoint answered 410 Gone');
    expect(decision.update).toMatchObject({
      status: 'FAILED',
      last_error: 'HTTP 410; the endpoint answered 410 Gone',
    });
  });

  it('a failure five days into a failing run disables the webhook; a day less only retries', () => {
    const failingSince = new Date(T0 - DISABLE_AFTER_FAILING_MS).toISOString();
    const disabled = decideAttempt({ ok: false, status_code: 500 }, context({ failingSince }));
    expect(disabled.disable).toBe('failing for 5 days without a success');
    expect(disabled.update.status).toBe('FAILED');

    const recent = new Date(T0 - DISABLE_AFTER_FAILING_MS + 86_400_000).toISOString();
    const retried = decideAttempt({ ok: false, status_code: 500 }, context({ failingSince: recent }));
    expect(retried.disable).toBeUndefined();
    expect(retried.next.kind).toBe('retry');
  });

  it('a success ends a failing run without disabling, however long it lasted', () => {
    const failingSince = new Date(T0 - 10 * 86_400_000).toISOString();
    const decision = decideAttempt({ ok: true, status_code: 204 }, context({ failingSince }));
    expect(decision.update.status).toBe('DELIVERED');
    expect(decision.disable).toBeUndefined();
  });

  it('a manual retry starts a fresh round: its first failure waits the schedule’s second delay', () => {
    const decision = decideAttempt(
      { ok: false, status_code: 500 },
      context({ attempt: 9, roundAttempts: 0 }),
    );
    expect(decision.update).toMatchObject({ attempt_count: 9, round_attempts: 1 });
    expect(decision.next).toMatchObject({ kind: 'retry', delayMs: 5_000 });
  });
});
