import { INDEX } from '@hookrelay/definitions';
import { ValidationError } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { CursorCodec } from '../src/cursor.js';
import { eventStreams, positionsFrom, rangeScope, shardList } from '../src/event-list.js';

const codec = new CursorCodec('test');
const noMark = async () => {
  throw new Error('the sweeper mark is read for PENDING lists only');
};

describe('eventStreams', () => {
  it('lists every event from the time listing, one stream per shard', async () => {
    const streams = await eventStreams('acme', {}, noMark);
    expect(streams).toHaveLength(shardList().length);
    expect(streams.every((s) => s.index === undefined && s.filter === undefined)).toBe(true);
  });

  it('lists FAILED events from the status index, with the type and webhook filters', async () => {
    const streams = await eventStreams('acme', { status: 'FAILED', type: 'a.b', webhookId: 'wh_1' }, noMark);
    expect(streams.every((s) => s.index === INDEX.eventsByStatus && s.pk.startsWith('T#acme#FAILED#S'))).toBe(
      true,
    );
    expect(streams[0]?.filter?.expression).toBe('#type = :type AND attribute_exists(#dl.#wh)');
    expect(streams[0]?.filter?.names).toEqual({ '#type': 'ty', '#dl': 'd', '#wh': 'wh_1' });
  });

  it('lists DELIVERED events (never indexed) from the time listing by their status', async () => {
    const streams = await eventStreams('acme', { status: 'DELIVERED' }, noMark);
    expect(streams.every((s) => s.index === undefined && s.filter?.values[':status'] === 'DELIVERED')).toBe(
      true,
    );
  });

  it("lists PENDING events from the status index and, above the sweeper's mark, the untouched ones", async () => {
    const mark = Date.parse('2026-12-01T00:00:00.000Z');
    const streams = await eventStreams('acme', { status: 'PENDING' }, async () => mark);
    const indexed = streams.filter((s) => s.index === INDEX.eventsByStatus);
    const untouched = streams.filter((s) => s.index === undefined);
    expect(indexed).toHaveLength(shardList().length);
    expect(untouched).toHaveLength(shardList().length);
    expect(untouched.every((s) => s.above === '2026-12-01T00:00:00.000Z')).toBe(true);
    expect(untouched[0]?.filter?.expression).toBe('#status = :status AND attribute_not_exists(gsi2pk)');
    // Each stream has a cursor position of its own.
    expect(new Set(streams.map((s) => s.key)).size).toBe(streams.length);
  });
});

describe('positionsFrom', () => {
  const list = { scope: 'W|wh_1', other: 'another webhook', samePrefix: 'W|wh_1' };

  it('reads back the positions a cursor of the same list carries', () => {
    const cursor = codec.encode('acme', { scope: 'W|wh_1', pos: { '0': 'k', '1': null } });
    expect(positionsFrom(codec, 'acme', { ...list, cursor })).toEqual({ '0': 'k', '1': null });
    expect(positionsFrom(codec, 'acme', { ...list, cursor: undefined })).toEqual({});
  });

  it.each([
    [{ scope: 'W|wh_2', pos: {} }, 'The cursor belongs to another webhook.'],
    [
      { scope: `W|wh_1${rangeScope({ after: '2026-12-01T00:00:00.000Z' })}`, pos: {} },
      'The cursor belongs to a list with other filters.',
    ],
    [{ list: 'requests:src_1', key: {} }, 'The cursor belongs to another list.'],
  ])('refuses a cursor of another list (%j)', (body, message) => {
    const cursor = codec.encode('acme', body);
    expect(() => positionsFrom(codec, 'acme', { ...list, cursor })).toThrow(new ValidationError(message, []));
  });

  it("refuses another tenant's cursor", () => {
    const cursor = codec.encode('other', { scope: 'W|wh_1', pos: {} });
    expect(() => positionsFrom(codec, 'acme', { ...list, cursor })).toThrow(ValidationError);
  });
});
