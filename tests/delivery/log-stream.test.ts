import { asFunction, lambdaContext } from '@hookrelay/local';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SQSEvent } from 'aws-lambda';
import { captureOutput } from '../support/output.js';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

// CloudWatch Logs Insights reads a function's log stream as JSON lines: one plain-text line
// (a library's warning) is a line no query finds and no field describes.

let platform: TestPlatform;
let receiver: TestReceiver;
const written: string[] = [];
let restoreOutput: () => void = () => {};

beforeAll(async () => {
  restoreOutput = captureOutput(written, ['stdout', 'stderr']);
  // Metrics on, as in the cloud: their EMF lines are JSON too.
  platform = await startTestPlatform({ extraEnv: { POWERTOOLS_METRICS_DISABLED: 'false' } });
  receiver = await startReceiver();
});

afterAll(async () => {
  restoreOutput();
  await receiver?.close();
  await platform?.stop();
});

const plainLines = () =>
  written
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '')
    // Node's own notice about the test runner's --experimental-vm-modules flag, not a function's.
    .filter((line) => !/^\(node:\d+\) ExperimentalWarning|^\(Use `node --trace-warnings/.test(line))
    .filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });

describe('the functions write JSON lines only', () => {
  it('a worker batch with no attempt in it (nothing to measure) writes no plain-text warning', async () => {
    const { handler } = await import('@hookrelay/worker/handler');
    const record = {
      messageId: 'm-1',
      receiptHandle: 'r-1',
      body: '{"not":"a delivery"}',
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:local',
      awsRegion: 'us-east-1',
    };
    const event = { Records: [record] } as unknown as SQSEvent;
    await asFunction('worker', () =>
      (handler as unknown as (e: SQSEvent, c: unknown) => Promise<unknown>)(
        event,
        lambdaContext('worker', 30_000),
      ),
    );
    expect(written.join('')).toContain('dropping a message that is not a delivery');
    expect(plainLines()).toEqual([]);
  });

  it('a delivered event leaves only JSON lines (access line, metrics)', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'jsonlines',
      target_url: `${receiver.url}/jsonlines`,
    });
    const api = client(platform.apiUrl, created.body.api_key);
    const sent = await api.request('POST', '/v1/events', { type: 'a.b', data: {} });
    await eventually(async () =>
      (await api.request('GET', `/v1/events/${sent.body.event_id}`)).body.status === 'DELIVERED'
        ? true
        : undefined,
    );
    await eventually(async () => (written.join('').includes('WebhookDeliverySuccess') ? true : undefined));
    expect(plainLines()).toEqual([]);
  });
});

describe('what a delivery writes', () => {
  /** The function lines (JSON) that mention an event. */
  const linesOf = (eventId: string) =>
    written
      .join('')
      .split('\n')
      .filter((line) => line.includes(eventId))
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });

  it('a first-time success writes no INFO line (the attempt item and the metrics record it); a retry does', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'quiet-success',
      target_url: `${receiver.url}/quiet-success`,
    });
    const api = client(platform.apiUrl, created.body.api_key);
    const delivered = await api.request('POST', '/v1/events', { type: 'a.b', data: {} });
    const deliveredId = String(delivered.body.event_id);
    await eventually(async () =>
      (await api.request('GET', `/v1/events/${deliveredId}`)).body.status === 'DELIVERED' ? true : undefined,
    );

    // An endpoint that refuses the connection: the first attempt fails and is retried.
    await api.request('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/refused', events: ['c.d'] });
    const retried = await api.request('POST', '/v1/events', { type: 'c.d', data: {} });
    const retriedId = String(retried.body.event_id);
    const retryLine = await eventually(async () =>
      linesOf(retriedId).find((l) => l.message === 'attempt retry'),
    );
    expect(retryLine).toMatchObject({ level: 'INFO', event_id: retriedId, error_kind: 'refused' });
    expect(linesOf(deliveredId).filter((l) => String(l.message).startsWith('attempt '))).toEqual([]);
  });
});
