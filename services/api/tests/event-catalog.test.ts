import type { EventCatalog, EventTypeSample } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { CATALOG_NOTE_EVERY_MS, NotedTypes } from '../src/event-catalog.js';

const sample = (type: string, eventId: string): EventTypeSample => ({
  type,
  last_seen_at: '2026-12-06T09:00:00.000Z',
  example: { event_id: eventId, data: { n: eventId } },
});

const recording = (fail = false) => {
  const notes: [string, string][] = [];
  const catalog: EventCatalog = {
    note: async (tenantId, s) => {
      if (fail) throw new Error('throttled');
      notes.push([tenantId, s.example.event_id]);
    },
    list: async () => [],
  };
  return { notes, catalog };
};

describe('noting event types', () => {
  it('writes a type once per interval per instance, per tenant and type', async () => {
    const { notes, catalog } = recording();
    const noted = new NotedTypes(catalog);
    await noted.note('acme', sample('order.paid', 'evt_1'), 0);
    await noted.note('acme', sample('order.paid', 'evt_2'), CATALOG_NOTE_EVERY_MS - 1);
    await noted.note('acme', sample('order.shipped', 'evt_3'), 1);
    await noted.note('globex', sample('order.paid', 'evt_4'), 2);
    await noted.note('acme', sample('order.paid', 'evt_5'), CATALOG_NOTE_EVERY_MS);
    expect(notes).toEqual([
      ['acme', 'evt_1'],
      ['acme', 'evt_3'],
      ['globex', 'evt_4'],
      ['acme', 'evt_5'],
    ]);
  });

  it('a write that failed is tried again with the next event of the type', async () => {
    const failing = recording(true);
    const noted = new NotedTypes(failing.catalog);
    await expect(noted.note('acme', sample('order.paid', 'evt_1'), 0)).rejects.toThrow('throttled');
    const { notes, catalog } = recording();
    (failing.catalog as { note: EventCatalog['note'] }).note = catalog.note;
    await noted.note('acme', sample('order.paid', 'evt_2'), 1);
    expect(notes).toEqual([['acme', 'evt_2']]);
  });
});
