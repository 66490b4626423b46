import type { Delivery, DeliveryUpdate, StoredEvent } from '@hookrelay/domain';
import { type LineRecord, type OrderedLineDeps, processLineBatch } from '../../src/attempt/ordered-line.js';
import type { SendResult } from '../../src/http-sender.js';
import { NOW, webhookOf } from './attempt-ports.js';

const webhook = webhookOf({ ordering: 'per_key' });

/** In-memory ports: events keyed by id, a receiver scripted per event, holds and DLQ recorded. */
const harness = (fails: (eventId: string) => boolean, schedule = [0, 60_000]) => {
  const deliveries = new Map<string, Delivery>();
  const sent: string[] = [];
  const held: { handle: string; seconds: number }[] = [];
  const dead: string[] = [];
  const event = (id: string): StoredEvent | undefined => {
    const d = deliveries.get(id);
    return d
      ? {
          tenant_id: 'acme',
          event_id: id,
          type: 't.x',
          data: {},
          status: d.status,
          created_at: new Date(NOW).toISOString(),
          updated_at: new Date(NOW).toISOString(),
          deliveries: { wh_1: d },
        }
      : undefined;
  };
  const deps: OrderedLineDeps = {
    events: {
      get: async (_t, id) => event(id),
      putAttempt: async () => undefined,
      claimAttempt: async (_t, id, _w, update: DeliveryUpdate) => {
        const d = deliveries.get(id) as Delivery;
        if (d.attempt_count !== update.attempt_count - 1) return 'lost';
        deliveries.set(id, { ...d, ...update, updated_at: update.at } as Delivery);
        return 'settled';
      },
      settle: async () => undefined,
      cancel: async () => [],
    },
    webhooks: { get: async () => webhook, recordOutcome: async () => webhook },
    secrets: { get: async () => [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }] } as never,
    queue: {
      deadLetter: async (m) => {
        dead.push(m.event_id);
      },
    },
    line: {
      hold: async (handle, seconds) => {
        held.push({ handle, seconds });
      },
    },
    sender: {
      send: async (req): Promise<SendResult> => {
        const id = (JSON.parse(req.body) as { id: string }).id;
        sent.push(id);
        const ok = !fails(id);
        return { ok, status_code: ok ? 200 : 500, duration_ms: 5, ...(ok ? {} : { error_kind: 'http' }) };
      },
    },
    clock: { now: () => NOW },
    schedule,
    random: () => 0.5,
  };
  const record = (id: string, group: string): LineRecord => {
    if (!deliveries.has(id)) {
      deliveries.set(id, {
        webhook_id: 'wh_1',
        status: 'PENDING',
        attempt_count: 0,
        round_attempts: 0,
        updated_at: new Date(NOW).toISOString(),
      });
    }
    return {
      messageId: `m_${id}`,
      receiptHandle: `h_${id}`,
      group,
      body: JSON.stringify({ v: 1, tenant_id: 'acme', event_id: id, webhook_id: 'wh_1', attempt: 1 }),
    };
  };
  return { deps, record, sent, held, dead, deliveries };
};

describe('a batch of the ordered line', () => {
  it('counts each attempt for the stats, and a delivery once when it ends, delivered or exhausted, as the lanes do', async () => {
    const h = harness((id) => id === 'evt_b1', [0]);
    const samples: { success: boolean; ended?: string }[] = [];
    const deps = {
      ...h.deps,
      counters: {
        record: (_t: string, _w: string, s: { success: boolean; ended?: string }) => {
          samples.push({ success: s.success, ...(s.ended ? { ended: s.ended } : {}) });
        },
      },
    } as OrderedLineDeps;
    await processLineBatch(deps, [h.record('evt_a1', 'A'), h.record('evt_b1', 'B')]);
    expect(samples).toEqual([
      { success: true, ended: 'DELIVERED' },
      { success: false, ended: 'FAILED' },
    ]);
  });

  it('holds a failing record in flight for its wait, leaves the later records of its key behind it, and goes on with the other keys', async () => {
    const h = harness((id) => id === 'evt_a1');
    const batch = [
      h.record('evt_a1', 'A'),
      h.record('evt_b1', 'B'),
      h.record('evt_a2', 'A'),
      h.record('evt_b2', 'B'),
      h.record('evt_a3', 'A'),
    ];
    const report = await processLineBatch(h.deps, batch);
    // A's head failed: A's later records were not attempted; B went through in order.
    expect(h.sent).toEqual(['evt_a1', 'evt_b1', 'evt_b2']);
    expect(report.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([
      'm_evt_a1',
      'm_evt_a2',
      'm_evt_a3',
    ]);
    // The head held in flight for the retry's delay (60 s, no jitter at random 0.5): SQS hands
    // out nothing more of its group meanwhile, so those behind it go back in a second rather
    // than count against the queue's 20,000 messages in flight for a minute.
    expect(h.held).toEqual([
      { handle: 'h_evt_a1', seconds: 60 },
      { handle: 'h_evt_a2', seconds: 1 },
      { handle: 'h_evt_a3', seconds: 1 },
    ]);
    expect(h.deliveries.get('evt_a1')).toMatchObject({ status: 'PENDING', attempt_count: 1 });
  });

  it('counts attempts in the delivery’s record: a message back early waits out its retry without an attempt', async () => {
    const h = harness(() => true);
    await processLineBatch(h.deps, [h.record('evt_a1', 'A')]);
    expect(h.sent).toEqual(['evt_a1']);
    // Back before its time (its holder crashed): held for the rest, not attempted.
    const again = await processLineBatch(h.deps, [h.record('evt_a1', 'A')]);
    expect(h.sent).toEqual(['evt_a1']);
    expect(again.batchItemFailures).toEqual([{ itemIdentifier: 'm_evt_a1' }]);
    expect(h.held.at(-1)?.seconds).toBe(60);
  });

  it('dead-letters an exhausted head (FAILED) and lets its key go on', async () => {
    const h = harness((id) => id === 'evt_a1', [0]);
    const report = await processLineBatch(h.deps, [h.record('evt_a1', 'A'), h.record('evt_a2', 'A')]);
    expect(h.dead).toEqual(['evt_a1']);
    expect(h.deliveries.get('evt_a1')?.status).toBe('FAILED');
    expect(h.sent).toEqual(['evt_a1', 'evt_a2']);
    expect(report.batchItemFailures).toEqual([]);
  });

  it('skips a delivery already made (a redelivery) without sending it again', async () => {
    const h = harness(() => false);
    await processLineBatch(h.deps, [h.record('evt_a1', 'A')]);
    const report = await processLineBatch(h.deps, [h.record('evt_a1', 'A'), h.record('evt_a2', 'A')]);
    expect(h.sent).toEqual(['evt_a1', 'evt_a2']);
    expect(report.batchItemFailures).toEqual([]);
  });

  it('leaves a record whose turn throws, and the rest of its key, for SQS to hand out again', async () => {
    const h = harness(() => false);
    const get = h.deps.events.get;
    const deps: OrderedLineDeps = {
      ...h.deps,
      events: {
        ...h.deps.events,
        get: async (t, id) => {
          if (id === 'evt_a1') throw new Error('DynamoDB unavailable');
          return get(t, id);
        },
      },
    };
    const report = await processLineBatch(deps, [
      h.record('evt_a1', 'A'),
      h.record('evt_a2', 'A'),
      h.record('evt_b1', 'B'),
    ]);
    expect(report.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m_evt_a1', 'm_evt_a2']);
    expect(h.sent).toEqual(['evt_b1']);
    expect(h.held).toEqual([]);
  });

  it('starts no turn without the time for one: the rest of the key comes back in a second', async () => {
    const h = harness(() => false);
    let remaining = 30_000;
    const deps: OrderedLineDeps = {
      ...h.deps,
      sender: {
        send: async (req) => {
          remaining -= 12_000;
          return h.deps.sender.send(req);
        },
      },
    };
    const report = await processLineBatch(
      deps,
      [h.record('evt_a1', 'A'), h.record('evt_a2', 'A'), h.record('evt_a3', 'A'), h.record('evt_b1', 'B')],
      undefined,
      { remainingMs: () => remaining, turnMs: 15_000 },
    );
    // A's first turn ran, then 6 s were left of the invocation: its other records go back for a
    // second each. B's first turn always runs.
    expect(h.sent).toEqual(['evt_a1', 'evt_b1']);
    expect(report.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m_evt_a2', 'm_evt_a3']);
    expect(h.held).toEqual([
      { handle: 'h_evt_a2', seconds: 1 },
      { handle: 'h_evt_a3', seconds: 1 },
    ]);
  });
});
