import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it, jest } from '@jest/globals';

// The local bus's rules and webhooks' payload filters are one matcher: the package's
// matchesPattern, which both call (seen here through a spy standing in for it).
const real = await import('@hookrelay/event-patterns');
const seen: string[] = [];
jest.unstable_mockModule('@hookrelay/event-patterns', () => ({
  ...real,
  matchesPattern: (pattern: Parameters<typeof real.matchesPattern>[0], event: unknown) => {
    seen.push(JSON.stringify(pattern));
    return real.matchesPattern(pattern, event);
  },
}));
const { startLocalEventBus } = await import('@hookrelay/local');
const { targetsOf } = await import('@hookrelay/domain');
const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');

describe('one matcher for the bus and the fan-out', () => {
  it('the local bus routes with @hookrelay/event-patterns', async () => {
    const sent: unknown[] = [];
    const sqs = { send: async (command: unknown) => sent.push(command) } as unknown as SQSClient;
    const rule = { source: ['hookrelay.inbound.stripe'] };
    const bus = await startLocalEventBus({
      busName: 'one-matcher',
      port: 0,
      sqs,
      rules: [{ name: 'stripe', pattern: rule, queueUrl: 'http://127.0.0.1:1/q' }],
    });
    try {
      const eventbridge = new EventBridgeClient({
        endpoint: bus.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await eventbridge.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'one-matcher',
              Source: 'hookrelay.inbound.stripe',
              DetailType: 't',
              Detail: '{}',
            },
          ],
        }),
      );
    } finally {
      await bus.close();
    }
    expect(seen).toContain(JSON.stringify(rule));
    expect(sent).toHaveLength(1);
  });

  it('fan-out matches payload filters with it', () => {
    const filter = { data: { currency: ['eur'] } };
    const webhook = {
      id: 'wh_1',
      tenant_id: 'acme',
      url: 'https://example.com/hook',
      active: true,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      delivery_success_count: 0,
      delivery_failure_count: 0,
      filter,
    };
    expect(targetsOf([webhook], { type: 'invoice.paid', id: 'evt_1', data: { currency: 'eur' } })).toEqual([
      'wh_1',
    ]);
    expect(seen).toContain(JSON.stringify(filter));
  });
});
