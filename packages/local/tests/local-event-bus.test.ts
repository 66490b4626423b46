import { randomBytes } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type LocalEventBus, startLocalEventBus } from '../src/bus/local-event-bus.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('the local EventBridge bus, called with the AWS SDK', () => {
  let sqs: SQSClient;
  let bus: LocalEventBus;
  let eventbridge: EventBridgeClient;
  const urls: Record<string, string> = {};

  beforeAll(async () => {
    const endpoint = process.env.TEST_SQS_ENDPOINT ?? '';
    sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials });
    const suffix = randomBytes(4).toString('hex');
    for (const name of ['stripe', 'github', 'big']) {
      const out = await sqs.send(new CreateQueueCommand({ QueueName: `bus-${name}-${suffix}` }));
      urls[name] = new URL(new URL(out.QueueUrl ?? '').pathname, endpoint).toString();
    }
    bus = await startLocalEventBus({
      busName: 'inbound-test',
      port: 0,
      sqs,
      rules: [
        { name: 'stripe', pattern: { source: ['hookrelay.inbound.stripe'] }, queueUrl: urls.stripe ?? '' },
        { name: 'github', pattern: { source: ['hookrelay.inbound.github'] }, queueUrl: urls.github ?? '' },
        {
          name: 'big-invoices',
          pattern: { detail: { amount: [{ numeric: ['>=', 1000] }] } },
          queueUrl: urls.big ?? '',
        },
      ],
    });
    eventbridge = new EventBridgeClient({ endpoint: bus.endpoint, region: 'us-east-1', credentials });
  });
  afterAll(async () => {
    eventbridge?.destroy();
    await bus?.close();
    sqs?.destroy();
  });

  const receive = async (url: string) =>
    (
      await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      )
    ).Messages ?? [];

  it('delivers each event to the queues of the rules it matches, as the EventBridge envelope', async () => {
    const out = await eventbridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'inbound-test',
            Source: 'hookrelay.inbound.stripe',
            DetailType: 'invoice.paid',
            Detail: JSON.stringify({ amount: 5000 }),
          },
          {
            EventBusName: 'inbound-test',
            Source: 'hookrelay.inbound.github',
            DetailType: 'push',
            Detail: JSON.stringify({ amount: 1 }),
          },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries?.every((e) => typeof e.EventId === 'string')).toBe(true);
    const stripe = (await receive(urls.stripe ?? '')).map((m) => JSON.parse(m.Body ?? ''));
    expect(stripe).toEqual([
      expect.objectContaining({
        version: '0',
        id: out.Entries?.[0]?.EventId,
        source: 'hookrelay.inbound.stripe',
        'detail-type': 'invoice.paid',
        detail: { amount: 5000 },
      }),
    ]);
    expect((await receive(urls.github ?? '')).map((m) => JSON.parse(m.Body ?? '').source)).toEqual([
      'hookrelay.inbound.github',
    ]);
    expect((await receive(urls.big ?? '')).map((m) => JSON.parse(m.Body ?? '')['detail-type'])).toEqual([
      'invoice.paid',
    ]);
  });

  it('refuses entries per entry: another bus, a detail that is not a JSON object', async () => {
    const out = await eventbridge.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: 'other', Source: 's', DetailType: 't', Detail: '{}' },
          { EventBusName: 'inbound-test', Source: 's', DetailType: 't', Detail: '[1]' },
          { EventBusName: 'inbound-test', Source: 's', DetailType: 't', Detail: '{}' },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(2);
    expect(out.Entries?.map((e) => e.ErrorCode ?? 'ok')).toEqual([
      'ResourceNotFoundException',
      'MalformedDetail',
      'ok',
    ]);
  });

  it('answers operations it does not implement with the SDK’s error shape', async () => {
    await expect(
      eventbridge.send(new PutRuleCommand({ Name: 'x', EventPattern: '{}' })),
    ).rejects.toMatchObject({
      name: 'UnknownOperationException',
    });
  });
});
