import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

/** What the platform's functions use is counted as AWS bills it, at their IAM fronts and invokers. */
describe("the platform's usage", () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;

  beforeAll(async () => {
    platform = await startTestPlatform();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await platform?.stop();
  });

  it('counts the invocations, capacity units and SQS requests a delivered event takes', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'metered',
      target_url: `${receiver.url}/in`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const before = platform.usage();
    const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: { n: 1 } });
    expect(sent.status).toBe(201);
    await eventually(async () => {
      const event = await tenant.request('GET', `/v1/events/${sent.body.event_id}`);
      return event.body.status === 'DELIVERED' ? true : undefined;
    });
    // The worker's counters are written at the end of its batch, after the event settles.
    const after = await eventually(async () => {
      const now = platform.usage();
      return (now.lambda.worker?.invocations ?? 0) >= 1 && now.dynamodbWru - before.dynamodbWru >= 4
        ? now
        : undefined;
    });
    // The accept, the attempt and the outcome are a unit each; the webhook's counters one more.
    expect(after.dynamodbWru - before.dynamodbWru).toBeGreaterThanOrEqual(4);
    expect(after.dynamodbRru).toBeGreaterThan(before.dynamodbRru);
    // Two API requests (the send and the read-back), each one api invocation at least.
    expect(
      (after.lambda.api?.invocations ?? 0) - (before.lambda.api?.invocations ?? 0),
    ).toBeGreaterThanOrEqual(2);
    expect(after.lambda.worker?.billedMs).toBeGreaterThan(0);
    // The send, the worker's receive and delete at least.
    expect(after.sqsRequests - before.sqsRequests).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
