import { describe, expect, it } from '@jest/globals';
import {
  type InboundMessage,
  type InboundRequest,
  parseInboundMessage,
  REQUEST_ID_ALIASES,
  requestIdFields,
  serializeInboundMessage,
} from '../src/models.js';
import type { BusEntry, InboundRequestStore } from '../src/ports.js';
import { processInbound } from '../src/process.js';

/*
 * The inbound request's id is `request_id`; its first name, `webhook_id`, is still sent beside
 * it for one release, and stays the name on the queue, where messages wait across deploys.
 */
const message: InboundMessage = {
  v: 1,
  tenant_id: 'acme',
  source_id: 'src_1',
  request_id: 'iwh_01JD6ZC3D4E5F6G7H8J9K0M1N2',
  round: 2,
};

describe('the request id', () => {
  it('goes out under both names, with the same value', () => {
    expect(requestIdFields('iwh_1')).toEqual({ request_id: 'iwh_1', webhook_id: 'iwh_1' });
    expect(REQUEST_ID_ALIASES).toEqual({ webhook_id: 'request_id' });
  });

  it('keeps its first name on the queue, so messages written before the rename still parse', () => {
    const written = serializeInboundMessage({ ...message, body: 'e30=' });
    expect(JSON.parse(written)).toEqual({
      v: 1,
      tenant_id: 'acme',
      source_id: 'src_1',
      webhook_id: message.request_id,
      round: 2,
      body: 'e30=',
    });
    expect(parseInboundMessage(written)).toEqual({ ...message, body: 'e30=' });
    const before =
      '{"v":1,"tenant_id":"acme","source_id":"src_1","webhook_id":"iwh_01JD6ZC3D4E5F6G7H8J9K0M1N2","round":2}';
    expect(parseInboundMessage(before)).toEqual(message);
    expect(serializeInboundMessage(message)).toBe(before);
  });

  it('a queue body that is not an inbound message parses to nothing', () => {
    expect(parseInboundMessage('{"v":1,"tenant_id":"acme","source_id":"src_1","round":0}')).toBeUndefined();
    expect(parseInboundMessage('not json')).toBeUndefined();
  });

  it("is the bus event's request_id, and its webhook_id for one release", async () => {
    const request: InboundRequest = {
      id: message.request_id,
      tenant_id: 'acme',
      source_id: 'src_1',
      provider: 'github',
      received_at: '2026-12-01T00:00:00.000Z',
      type: 'push',
      status: 'RECEIVED',
      size: 2,
      s3_key: 'acme/src_1/2026/12/01/iwh_1',
      s3_uri: 's3://bucket/acme/src_1/2026/12/01/iwh_1',
      headers: {},
      duplicate_count: 0,
      round: 2,
      forward: false,
    };
    const entries: BusEntry[] = [];
    const requests = {
      get: async (_t: string, id: string) => (id === request.id ? request : undefined),
      markRouted: async () => undefined,
    } as unknown as InboundRequestStore;
    const outcome = await processInbound(
      {
        requests,
        archive: { put: async () => '', get: async () => Buffer.from('{}') },
        bus: { put: async (entry) => void entries.push(entry) },
        outbound: { create: async () => true },
        clock: { now: () => 0 },
      },
      message,
    );
    expect(outcome).toBe('routed');
    expect(entries[0]?.detail).toMatchObject({ request_id: request.id, webhook_id: request.id });
  });
});
