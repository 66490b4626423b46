import { randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { freePort } from '@hookrelay/local';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { post, signAs } from './support/provider-requests.js';

/*
 * A body that rides in the FIFO message is archived by the processor, one object per tenant
 * for each batch: the requests are received while the processor is stopped, so its first
 * batch holds them all, as a burst would on AWS.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

const push = (tenant: string, n: number) =>
  JSON.stringify({
    ref: 'refs/heads/main',
    tenant,
    n,
    commits: [{ message: `Ship #${n} 🚀` }],
    pad: 'p'.repeat(n * 41),
  });

describe('the inbound archive, written a batch at a time', () => {
  let platform: TestPlatform | undefined;
  let s3: S3Client | undefined;
  afterAll(async () => {
    s3?.destroy();
    await platform?.stop();
  });

  const objects = async (prefix: string) => {
    const out = await s3?.send(new ListObjectsV2Command({ Bucket: platform?.inboundBucket, Prefix: prefix }));
    return (out?.Contents ?? []).map((o) => o.Key ?? '');
  };

  const read = (tenant: Client, id: string) => tenant.request('GET', `/v1/inbound/${id}`);

  it('ingest writes nothing for bodies that ride; one batch writes one object per tenant; each body reads back', async () => {
    const options = {
      stage: `a${randomBytes(4).toString('hex')}`,
      apiPort: await freePort(),
      ingestPort: await freePort(),
      busPort: await freePort(),
    };
    platform = await startTestPlatform({ ...options, inboundArchive: 'batch', startInboundProcessor: false });
    s3 = new S3Client({
      endpoint: platform.sqsEndpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
    });
    const admin = client(platform.apiUrl, platform.adminKey);
    const tenants: Record<
      string,
      { client: Client; source: { id: string; ingest_url: string; secret: string } }
    > = {};
    for (const name of [`acme-${options.stage}`, `globex-${options.stage}`]) {
      const created = await admin.request('POST', '/v1/tenants', { tenant_id: name });
      const tenant = client(platform.apiUrl, created.body.api_key);
      const { source } = (await tenant.request('POST', '/v1/sources', { name: 'repo', provider: 'github' }))
        .body;
      tenants[name] = { client: tenant, source };
    }
    const [acme, globex] = Object.keys(tenants) as [string, string];
    const sent: { tenant: string; id: string; body: string }[] = [];
    const receive = async (tenant: string, body: string) => {
      const { source } = tenants[tenant] ?? { source: { ingest_url: '', secret: '' } };
      const reply = await post(source.ingest_url, signAs('github', source.secret, { body }));
      expect(reply.status).toBe(202);
      sent.push({ tenant, id: reply.body.request_id, body });
      return reply.body.request_id as string;
    };
    for (let n = 0; n < 5; n++) await receive(acme, push(acme, n));
    for (let n = 0; n < 3; n++) await receive(globex, push(globex, n));
    const large = JSON.stringify({ tenant: acme, pad: 'L'.repeat(60 * 1024) });
    const largeId = await receive(acme, large);
    const acmeClient = tenants[acme]?.client as Client;

    // Only the body too large to ride was archived at ingest, as its own object.
    const acmeSource = tenants[acme]?.source.id;
    expect(await objects(`${acme}/`)).toEqual([
      expect.stringMatching(new RegExp(`^${acme}/${acmeSource}/.+/${largeId}$`)),
    ]);
    expect(await objects(`${globex}/`)).toEqual([]);
    // A request waiting to be processed has no archive location and shows no body yet.
    const waiting = await read(acmeClient, sent[0]?.id ?? '');
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ status: 'RECEIVED', size: Buffer.byteLength(sent[0]?.body ?? '') });
    expect(waiting.body).not.toHaveProperty('body');
    expect(waiting.body).not.toHaveProperty('s3_uri');
    // ...and cannot be replayed before its body is archived: a clear 409 that changes nothing.
    const early = await acmeClient.request('POST', `/v1/inbound/${sent[0]?.id}/replay`);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({
      code: 'request_not_archived',
      message: expect.stringContaining('ROUTED'),
    });
    expect(early.headers.get('x-request-id')).toBeTruthy();
    expect((await read(acmeClient, sent[0]?.id ?? '')).body).toEqual(waiting.body);
    const largeWaiting = await read(acmeClient, largeId);
    expect(largeWaiting.body).toMatchObject({
      status: 'RECEIVED',
      body: large,
      s3_range: `bytes=0-${large.length - 1}`,
    });

    await platform.stop();
    platform = await startTestPlatform({ ...options, inboundArchive: 'batch', adminKey: platform.adminKey });
    const routed = await eventually(async () => {
      const all = await Promise.all(sent.map((s) => read(tenants[s.tenant]?.client as Client, s.id)));
      return all.every((r) => r.body.status === 'ROUTED') ? all.map((r) => r.body) : undefined;
    }, 60_000);

    // Byte for byte, through the API's ranged read.
    expect(routed.map((r) => r.body)).toEqual(sent.map((s) => s.body));
    const uriOf = (tenant: string) =>
      new Set(routed.filter((r, i) => sent[i]?.tenant === tenant && r.id !== largeId).map((r) => r.s3_uri));
    const bucket = platform.inboundBucket;
    expect([...uriOf(acme)]).toEqual([
      expect.stringMatching(new RegExp(`^s3://${bucket}/${acme}/batches/\\d{4}/\\d{2}/\\d{2}/[0-9a-f]{32}$`)),
    ]);
    expect([...uriOf(globex)]).toEqual([
      expect.stringMatching(new RegExp(`^s3://${bucket}/${globex}/batches/`)),
    ]);
    expect(await objects(`${acme}/batches/`)).toHaveLength(1);
    expect(await objects(`${globex}/batches/`)).toHaveLength(1);

    // The bus event names the object and the range: a consumer reads just this body.
    const bus = platform.bus;
    for (const s of sent.filter((x) => x.id !== largeId)) {
      const event = bus.events.find((e) => (e.detail as { request_id?: string }).request_id === s.id);
      const detail = event?.detail as { s3_uri: string; s3_range: string };
      const key = detail.s3_uri.replace(`s3://${bucket}/`, '');
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: detail.s3_range }));
      expect(await out.Body?.transformToString('utf8')).toBe(s.body);
    }

    // A replay after batching reads the range back and routes the same bytes again.
    const replayed = sent[2] as { id: string; body: string };
    const replay = await acmeClient.request('POST', `/v1/inbound/${replayed.id}/replay`);
    expect(replay.status).toBe(202);
    await eventually(async () => {
      const again = bus.events.filter(
        (e) => (e.detail as { request_id?: string }).request_id === replayed.id,
      );
      return again.length === 2 ? again : undefined;
    }, 30_000);
    const again = bus.events
      .map((e) => e.detail as { request_id?: string; s3_uri?: string })
      .filter((d) => d.request_id === replayed.id);
    expect(again[1]).toMatchObject({ payload: JSON.parse(replayed.body), s3_uri: again[0]?.s3_uri });
    const after = await eventually(async () => {
      const r = await read(acmeClient, replayed.id);
      return r.body.status === 'ROUTED' ? r.body : undefined;
    });
    expect(after.body).toBe(replayed.body);
  }, 180_000);
});
