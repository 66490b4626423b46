import type { Delivery, DeliveryUpdate, StoredEvent } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { claimSettles, claimUpdate, sweepAtOf, transitionUpdate } from '../src/event-updates.js';

const delivery = (
  webhookId: string,
  status: Delivery['status'],
  extra: Partial<Delivery> = {},
): Delivery => ({
  webhook_id: webhookId,
  status,
  attempt_count: 0,
  round_attempts: 0,
  updated_at: '2026-12-01T00:00:00.000Z',
  ...extra,
});

const event = (...deliveries: Delivery[]): StoredEvent => ({
  tenant_id: 't1',
  event_id: 'evt_1',
  type: 'order.paid',
  data: {},
  status: 'PENDING',
  created_at: '2026-12-01T00:00:00.000Z',
  updated_at: '2026-12-01T00:00:05.000Z',
  deliveries: Object.fromEntries(deliveries.map((d) => [d.webhook_id, d])),
});

const delivered: DeliveryUpdate = {
  status: 'DELIVERED',
  attempt_count: 1,
  round_attempts: 1,
  at: '2026-12-01T00:00:10.000Z',
  last_status_code: 200,
};
const retrying: DeliveryUpdate = {
  status: 'PENDING',
  attempt_count: 1,
  round_attempts: 1,
  at: '2026-12-01T00:00:10.000Z',
  next_attempt_at: '2026-12-01T00:01:10.000Z',
  last_error: 'timeout',
};
const ids = { tenantId: 't1', eventId: 'evt_1', webhookId: 'wh_a' };

describe('claimSettles', () => {
  it('settles only a final outcome of the last open delivery of an event that was read', () => {
    expect(claimSettles('wh_a', delivered, event(delivery('wh_a', 'PENDING')))).toBe(true);
    expect(
      claimSettles('wh_a', delivered, event(delivery('wh_a', 'PENDING'), delivery('wh_b', 'FAILED'))),
    ).toBe(true);
    expect(
      claimSettles('wh_a', delivered, event(delivery('wh_a', 'PENDING'), delivery('wh_b', 'PENDING'))),
    ).toBe(false);
    expect(claimSettles('wh_a', retrying, event(delivery('wh_a', 'PENDING')))).toBe(false);
    expect(claimSettles('wh_a', delivered)).toBe(false);
  });
});

describe('claimUpdate', () => {
  it('claims only the attempt after the last one recorded, on a PENDING delivery', () => {
    const parts = claimUpdate(ids, delivered, 120_000);
    expect(parts.ConditionExpression).toBe('#d.#w.#s = :pending AND #d.#w.#n = :prev');
    expect(parts.ExpressionAttributeValues[':prev']).toBe(0);
    expect(parts.ExpressionAttributeNames['#w']).toBe('wh_a');
  });

  it('without the event read, keeps a sweep mark from the outcome time and lists the event as PENDING', () => {
    const parts = claimUpdate(ids, delivered, 120_000);
    expect(parts.UpdateExpression).toContain('sweep_at = :sweep');
    expect(parts.ExpressionAttributeValues[':sweep']).toBe(Date.parse(delivered.at) + 120_000);
    expect(parts.ExpressionAttributeValues[':gsi2pk']).toMatch(/^T#t1#PENDING#S\d+$/);
    // An outcome with no retry or error clears what an earlier attempt left.
    expect(parts.UpdateExpression).toMatch(/REMOVE #d\.#w\.#x, #d\.#w\.#e$/);
  });

  it('a retry is swept from its next attempt, and sets what it carries', () => {
    const parts = claimUpdate(ids, retrying, 120_000);
    expect(parts.ExpressionAttributeValues[':sweep']).toBe(Date.parse('2026-12-01T00:01:10.000Z') + 120_000);
    expect(parts.UpdateExpression).toContain('#d.#w.#x = :x');
    expect(parts.UpdateExpression).toContain('#d.#w.#e = :e');
    expect(parts.ExpressionAttributeValues[':e']).toBe('timeout');
  });

  it('settling in the same write sets the status, drops the sweep mark and holds on the event as read', () => {
    const seen = event(delivery('wh_a', 'PENDING'));
    const parts = claimUpdate(ids, delivered, 120_000, seen);
    expect(parts.ConditionExpression).toBe('#d.#w.#s = :pending AND #d.#w.#n = :prev AND #u = :seen');
    expect(parts.ExpressionAttributeValues[':seen']).toBe(seen.updated_at);
    expect(parts.ExpressionAttributeValues[':es']).toBe('DELIVERED');
    // DELIVERED events are in no status index.
    expect(parts.UpdateExpression).toMatch(/REMOVE .*sweep_pk, sweep_at, gsi2pk$/);
    expect(parts.ExpressionAttributeValues[':gsi2pk']).toBeUndefined();
  });

  it('a failed event settled in the claim goes into the FAILED status index', () => {
    const failed: DeliveryUpdate = { ...delivered, status: 'FAILED', last_status_code: 500 };
    const parts = claimUpdate(ids, failed, 120_000, event(delivery('wh_a', 'PENDING')));
    expect(parts.ExpressionAttributeValues[':es']).toBe('FAILED');
    expect(parts.ExpressionAttributeValues[':gsi2pk']).toMatch(/^T#t1#FAILED#S\d+$/);
  });
});

describe('sweepAtOf', () => {
  it('is the earliest due PENDING delivery plus the grace, none when nothing is pending', () => {
    const now = '2026-12-01T00:00:00.000Z';
    const deliveries = [
      delivery('wh_a', 'PENDING', { next_attempt_at: '2026-12-01T00:05:00.000Z' }),
      delivery('wh_b', 'PENDING', { next_attempt_at: '2026-12-01T00:02:00.000Z' }),
      delivery('wh_c', 'FAILED'),
    ];
    expect(sweepAtOf(deliveries, now, 1_000)).toBe(Date.parse('2026-12-01T00:02:00.000Z') + 1_000);
    expect(sweepAtOf([delivery('wh_a', 'PENDING')], now, 1_000)).toBe(Date.parse(now) + 1_000);
    expect(sweepAtOf([delivery('wh_c', 'DELIVERED')], now, 1_000)).toBeUndefined();
  });
});

describe('transitionUpdate', () => {
  const before = event(delivery('wh_a', 'PENDING'));
  const now = '2026-12-01T00:09:00.000Z';

  it('writes only over the event as it was read', () => {
    const parts = transitionUpdate('t1', before, { deliveries: before.deliveries, stored: {}, now }, 5);
    expect(parts.ConditionExpression).toBe('#st = :old AND #u = :updated');
    expect(parts.ExpressionAttributeValues[':old']).toBe('PENDING');
    expect(parts.ExpressionAttributeValues[':updated']).toBe(before.updated_at);
  });

  it('a cancelled event is indexed as CANCELLED and leaves the sweep index', () => {
    const deliveries = { wh_a: delivery('wh_a', 'CANCELLED') };
    const parts = transitionUpdate('t1', before, { deliveries, stored: {}, now }, undefined);
    expect(parts.ExpressionAttributeValues[':status']).toBe('CANCELLED');
    expect(parts.ExpressionAttributeValues[':gsi2pk']).toMatch(/^T#t1#CANCELLED#S\d+$/);
    expect(parts.UpdateExpression).toMatch(/ REMOVE sweep_pk, sweep_at$/);
  });

  it('keeps the attempt times the item holds for each delivery', () => {
    const stored = { wh_a: { s: 'PENDING' as const, n: 1, r: 1, u: now, t: ['2026-12-01T00:00:10.000Z'] } };
    const parts = transitionUpdate('t1', before, { deliveries: before.deliveries, stored, now }, 5);
    const written = parts.ExpressionAttributeValues[':deliveries'] as Record<string, { t?: string[] }>;
    expect(written.wh_a?.t).toEqual(['2026-12-01T00:00:10.000Z']);
    expect(parts.UpdateExpression).toContain('sweep_pk = :sweepPk, sweep_at = :sweepAt');
    expect(parts.ExpressionAttributeValues[':sweepAt']).toBe(5);
  });
});
