import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { post, signAs } from '../inbound/support/provider-requests.js';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { cli, freePort, stageEnv } from './ops-support.js';

/* Looking inside the local platform with make targets alone: no AWS CLI, no host rewrite. */
let platform: TestPlatform;
let sqs: SQSClient;
beforeAll(async () => {
  platform = await startTestPlatform();
  sqs = new SQSClient({
    endpoint: platform.sqsEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  sqs?.destroy();
  await platform?.stop();
});

describe('make queue-peek', () => {
  it("prints a queue's messages and consumes none", async () => {
    const dlq = platform.queueUrls.dlq ?? '';
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: '{"peeked":"🚀"}' }));
    for (const round of [1, 2]) {
      const run = await cli(['queue-peek', '--queue', 'deliveries-dlq', '--json'], stageEnv(platform));
      expect({ round, code: run.code, err: run.err }).toEqual({ round, code: 0, err: '' });
      const listing = JSON.parse(run.out);
      expect(listing.queue).toBe(`hookrelay-webhook-deliveries-dlq-${platform.env.STAGE}`);
      expect(listing.messages).toEqual([
        expect.objectContaining({ body: '{"peeked":"🚀"}', state: 'ready', approximateReceiveCount: 0 }),
      ]);
    }
    const all = await cli(['queue-peek'], stageEnv(platform));
    expect(all.out).toMatch(new RegExp(`hookrelay-webhook-deliveries-dlq-${platform.env.STAGE}\\s+ready 1`));
  });
});

describe('make bus-follow', () => {
  it('prints each event the local bus routed', async () => {
    const created = await client(platform.apiUrl, platform.adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'followed',
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const { source } = (await tenant.request('POST', '/v1/sources', { name: 'repo', provider: 'github' }))
      .body;
    const stop = new AbortController();
    let out = '';
    const following = cli(['bus-follow'], stageEnv(platform), { signal: stop.signal }).then((run) => {
      out = run.out;
      return run;
    });
    const reply = await post(
      source.ingest_url,
      signAs('github', source.secret, { body: '{"ref":"main","n":7}' }),
    );
    expect(reply.status).toBe(202);
    await eventually(async () => (platform.bus.events.length > 0 ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    stop.abort();
    const run = await following;
    expect(run.code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      expect.objectContaining({
        queue: `hookrelay-inbound-github-events-${platform.env.STAGE}`,
        event: expect.objectContaining({
          source: 'hookrelay.inbound.github',
          'detail-type': 'push',
          detail: expect.objectContaining({ payload: { ref: 'main', n: 7 } }),
        }),
      }),
    ]);
  });
});

describe('ops targets without the port variables', () => {
  it('say which URL they tried and what to set', async () => {
    const [api, sqsPort, ddb] = [await freePort(), await freePort(), await freePort()];
    const collection = await cli(['collection', '--out', '/dev/null'], { API_PORT: String(api) });
    expect(collection.code).toBe(1);
    expect(collection.err).toContain(`http://127.0.0.1:${api}`);
    expect(collection.err).toContain('API_PORT');
    const peek = await cli(['queue-peek'], { SQS_PORT: String(sqsPort), DYNAMODB_PORT: String(ddb) });
    expect(peek.err).toContain(`http://127.0.0.1:${sqsPort}`);
    expect(peek.err).toContain('SQS_PORT');
  });
});
