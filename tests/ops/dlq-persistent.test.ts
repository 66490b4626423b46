import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeadLetterListing } from '@hookrelay/ops-cli';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { cli, eventIn, sendEvent, setReceiver, stageEnv, tenantOnReceiver } from './ops-support.js';

/*
 * The runbook's retry, on the queues `make dev` keeps by default: persistent data. A peek
 * hands every message back to the DLQ; the requeue that follows finds them all.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'hookrelay-dlq-'));
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform({ retrySchedule: '0,200ms,200ms', persistentQueues: dataDir });
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('dead letters on persistent queues', () => {
  it('peek, then requeue, redelivers the event', async () => {
    const tenant = await tenantOnReceiver(platform, 'kept-letters');
    await setReceiver(platform, tenant.id, false);
    const eventId = await sendEvent(tenant, { order_id: 'o_persist' });
    await eventIn(tenant, eventId, 'FAILED');

    for (const round of [1, 2]) {
      const peek = await cli(['dlq-peek', '--json'], stageEnv(platform));
      expect({ round, code: peek.code, err: peek.err }).toEqual({ round, code: 0, err: '' });
      const listing = JSON.parse(peek.out) as DeadLetterListing;
      expect(listing.messages.map((m) => m.event_id)).toEqual([eventId]);
    }

    await setReceiver(platform, tenant.id, true);
    const requeue = await cli(['dlq-requeue'], stageEnv(platform));
    expect(requeue).toEqual({ code: 0, out: '{"requeued": 1, "failed": 0}\n', err: '' });
    const delivered = await eventIn(tenant, eventId, 'DELIVERED');
    expect(delivered.deliveries[0].attempts.at(-1).status_code).toBe(200);

    const after = await cli(['dlq-peek', '--json'], stageEnv(platform));
    expect((JSON.parse(after.out) as DeadLetterListing).messages).toEqual([]);
  });
});
