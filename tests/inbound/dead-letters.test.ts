import { S3Client } from '@aws-sdk/client-s3';
import { ENV, INBOUND_ENV } from '@hookrelay/definitions';
import { createDocumentClient } from '@hookrelay/dynamodb';
import { type InboundQueue, ingest } from '@hookrelay/inbound';
import { DynamoDbInboundRequestStore, DynamoDbSourceStore, S3Archive } from '@hookrelay/inbound-adapters';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cli, stageEnv } from '../ops/ops-support.js';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { post, signAs } from './support/provider-requests.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const payloadN = (detail: unknown) => (detail as { payload?: { n?: string } }).payload?.n;

describe('inbound requests are never lost', () => {
  let platform: TestPlatform;
  let tenant: Client;

  beforeAll(async () => {
    platform = await startTestPlatform({ inboundVisibilityTimeoutSeconds: 1, inboundArchive: 'batch' });
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'inbound-dlq' });
    tenant = client(platform.apiUrl, created.body.api_key);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const status = (id: string, wanted: string) =>
    eventually(
      async () => {
        const r = await tenant.request('GET', `/v1/inbound/${id}`);
        return r.body.status === wanted ? r.body : undefined;
      },
      60_000,
      200,
    );

  it('a request that fails three receives is FAILED, visible in the inbound DLQ, and routed after a requeue', async () => {
    const { source } = (await tenant.request('POST', '/v1/sources', { name: 'doomed', provider: 'github' }))
      .body;
    platform.bus.failWhen((e) => payloadN(e.detail) === 'doomed', 3);
    const reply = await post(source.ingest_url, signAs('github', source.secret, { body: '{"n":"doomed"}' }));
    expect(reply.status).toBe(202);
    const id = reply.body.request_id as string;
    const failed = await status(id, 'FAILED');
    expect(failed.error).toContain('Injected failure');
    // The last try archived the body before the bus refused it: the FAILED request shows it.
    expect(failed.body).toBe('{"n":"doomed"}');
    expect(failed.s3_range).toMatch(/^bytes=\d+-\d+$/);

    const env = { ...stageEnv(platform), QUEUE: 'inbound' };
    const peek = await eventually(async () => {
      const run = await cli(['dlq-peek', '--json'], env);
      const listing = JSON.parse(run.out);
      return listing.count === 1 ? listing : undefined;
    }, 60_000);
    expect(peek.messages[0]).toMatchObject({
      tenant_id: 'inbound-dlq',
      source_id: source.id,
      request_id: id,
    });

    const requeue = await cli(['dlq-requeue'], env);
    expect(requeue.out).toBe('{"requeued": 1, "failed": 0}\n');
    await status(id, 'ROUTED');
    expect(platform.bus.events.filter((e) => payloadN(e.detail) === 'doomed')).toHaveLength(1);
  }, 180_000);

  it('a failure after the processor archived a body but before it marked the request routed: the retry routes it, the body reads back', async () => {
    const { source } = (
      await tenant.request('POST', '/v1/sources', { name: 'half-done', provider: 'github' })
    ).body;
    // The body is written to the batch's object, then PutEvents fails: the message comes back.
    platform.bus.failWhen((e) => payloadN(e.detail) === 'archived-then-failed', 1);
    const body = '{"n":"archived-then-failed","note":"Ship it 🚀"}';
    const reply = await post(source.ingest_url, signAs('github', source.secret, { body }));
    expect(reply.status).toBe(202);
    const routed = await status(reply.body.request_id, 'ROUTED');
    expect(routed.body).toBe(body);
    expect(routed.s3_uri).toMatch(/\/inbound-dlq\/batches\//);
    expect(routed.s3_range).toMatch(/^bytes=\d+-\d+$/);
    expect(platform.bus.events.filter((e) => payloadN(e.detail) === 'archived-then-failed')).toHaveLength(1);
  }, 120_000);

  it('a crash after the archive and the metadata but before the queue: the provider’s retry is routed once', async () => {
    const { source } = (await tenant.request('POST', '/v1/sources', { name: 'crashy', provider: 'github' }))
      .body;
    const signed = signAs('github', source.secret, { body: '{"n":"crash-before-queue"}' });
    const db = createDocumentClient({
      endpoint: platform.dynamodbEndpoint,
      region: 'us-east-1',
      credentials,
    });
    const s3 = new S3Client({
      endpoint: platform.sqsEndpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
    });
    const table = platform.env[ENV.inboundTable] ?? '';
    // The ingestion step with the platform's real stores, dying where it would enqueue.
    const dying: InboundQueue = {
      send: async () => {
        throw new Error('process killed');
      },
    };
    const token = source.ingest_url.split('/in/')[1];
    await expect(
      ingest(
        {
          sources: new DynamoDbSourceStore(db, table),
          requests: new DynamoDbInboundRequestStore(db, table),
          archive: new S3Archive(s3, platform.env[INBOUND_ENV.bucket] ?? ''),
          queue: dying,
          clock: { now: () => Date.now() },
          maxBodyBytes: 256 * 1024,
          retentionDays: 30,
          // Nothing archived before the crash: the body was only ever in the request it dropped.
          archiveMode: 'batch',
        },
        {
          token,
          rawBody: Buffer.from(signed.body),
          headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v])),
        },
      ),
    ).rejects.toThrow('process killed');
    s3.destroy();
    db.destroy();
    // The provider got no 202, so it sends the same delivery again.
    const retry = await post(source.ingest_url, signed);
    expect(retry.status).toBe(202);
    const routed = await status(retry.body.request_id, 'ROUTED');
    expect(routed.duplicate_count).toBe(1);
    const list = await tenant.request('GET', `/v1/sources/${source.id}/requests`);
    expect(list.body.requests).toHaveLength(1);
    expect(platform.bus.events.filter((e) => payloadN(e.detail) === 'crash-before-queue')).toHaveLength(1);
  }, 120_000);
});
