import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { asFunction, startEventSourceMapping } from '@hookrelay/local';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { post, signAs } from './support/provider-requests.js';

/*
 * Two invocations of the inbound processor at once in one process (as the bench and a
 * development machine run it; on AWS each instance takes one batch at a time): each routes its
 * own batch with what it archived for that batch, one object per tenant.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('the inbound processor, two invocations at once', () => {
  let platform: TestPlatform;
  let mapping: { stop(): Promise<void> } | undefined;
  let sqs: SQSClient;
  let s3: S3Client;
  beforeAll(async () => {
    platform = await startTestPlatform({ inboundArchive: 'batch', startInboundProcessor: false });
    sqs = new SQSClient({ endpoint: platform.env.AWS_ENDPOINT_URL_SQS, region: 'us-east-1', credentials });
    s3 = new S3Client({
      endpoint: platform.sqsEndpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
    });
  });
  afterAll(async () => {
    await mapping?.stop();
    sqs?.destroy();
    s3?.destroy();
    await platform?.stop();
  });

  it('each routes its own batch, archived once per tenant', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const sent: { tenant: Client; name: string; id: string; body: string }[] = [];
    for (const name of ['twice-a', 'twice-b']) {
      const created = await admin.request('POST', '/v1/tenants', { tenant_id: name });
      const tenant = client(platform.apiUrl, created.body.api_key);
      const { source } = (await tenant.request('POST', '/v1/sources', { name: 'repo', provider: 'github' }))
        .body;
      for (let n = 0; n < 3; n++) {
        const body = JSON.stringify({ tenant: name, n });
        const reply = await post(source.ingest_url, signAs('github', source.secret, { body }));
        expect(reply.status).toBe(202);
        sent.push({ tenant, name, id: reply.body.request_id, body });
      }
    }
    const { handler } = await import('@hookrelay/inbound-processor/handler');
    // Batches of three: one source's three messages each; the first waits for the second to start.
    let started = 0;
    const both = eventually(async () => (started >= 2 ? true : undefined), 10_000, 20);
    const overlapping = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      started++;
      await both;
      return handler(event, context) as Promise<SQSBatchResponse>;
    };
    mapping = await asFunction('inbound-processor', () =>
      startEventSourceMapping({
        sqs,
        queueUrl: platform.inboundQueueUrls.fifo,
        handler: overlapping,
        functionName: 'inbound-processor',
        batchSize: 3,
        concurrency: 2,
        minimumConcurrency: 1,
        waitTimeSeconds: 1,
      }),
    );
    const routed = await eventually(async () => {
      const all = await Promise.all(sent.map((s) => s.tenant.request('GET', `/v1/inbound/${s.id}`)));
      return all.every((r) => r.body.status === 'ROUTED') ? all.map((r) => r.body) : undefined;
    }, 30_000);
    expect(routed.map((r) => r.body)).toEqual(sent.map((s) => s.body));
    for (const name of ['twice-a', 'twice-b']) {
      const objects = await s3.send(
        new ListObjectsV2Command({ Bucket: platform.inboundBucket, Prefix: `${name}/batches/` }),
      );
      expect({ name, objects: objects.KeyCount }).toEqual({ name, objects: 1 });
    }
  }, 60_000);
});
