import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { INBOUND_PROVIDERS } from '@hookrelay/definitions';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import {
  HMAC_CONFIG,
  ISSUED_SECRETS,
  post,
  REQUIRED_HEADER,
  signAs,
  TIMESTAMPED,
} from './support/provider-requests.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('inbound webhooks from every provider, on the local platform', () => {
  let platform: TestPlatform;
  let tenant: Client;
  let sqs: SQSClient;
  let s3: S3Client;

  beforeAll(async () => {
    platform = await startTestPlatform();
    sqs = new SQSClient({ endpoint: platform.sqsEndpoint, region: 'us-east-1', credentials });
    s3 = new S3Client({
      endpoint: platform.sqsEndpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
    });
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'inbound-providers' });
    tenant = client(platform.apiUrl, created.body.api_key);
  });
  afterAll(async () => {
    sqs?.destroy();
    s3?.destroy();
    await platform?.stop();
  });

  const createSource = async (provider: string) => {
    const reply = await tenant.request('POST', '/v1/sources', {
      name: `${provider} source`,
      provider,
      ...(ISSUED_SECRETS[provider] ? { secret: ISSUED_SECRETS[provider] } : {}),
      ...(provider === 'hmac' ? { config: HMAC_CONFIG } : {}),
    });
    expect(reply.status).toBe(201);
    const source = reply.body.source;
    expect(source.ingest_url).toMatch(new RegExp(`^${platform.ingestUrl}/in/[A-Za-z0-9_-]{32}$`));
    // A secret the provider issued is not echoed; one the platform made is shown once.
    if (ISSUED_SECRETS[provider]) expect(source.secret).toBeUndefined();
    else expect(source.secret).toMatch(/^whsec_/);
    return { source, secret: (ISSUED_SECRETS[provider] ?? source.secret) as string };
  };

  const busEventsFor = async (provider: string, requestId: string) =>
    eventually(async () => {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: platform.inboundQueueUrls.targets[provider as 'stripe'],
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      const events = (out.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}'));
      const mine = events.filter((e) => e.detail?.request_id === requestId);
      return mine.length > 0 ? mine : undefined;
    });

  it.each(INBOUND_PROVIDERS)(
    '%s: a signed request is archived byte-identical, ROUTED, and on its queue',
    async (provider) => {
      const { source, secret } = await createSource(provider);
      const signed = signAs(provider, secret);
      const reply = await post(source.ingest_url, signed);
      expect(reply.status).toBe(202);
      expect(reply.body).toEqual({
        message: 'Webhook received and queued for processing',
        request_id: expect.stringMatching(/^iwh_[0-9A-Z]{26}$/),
        webhook_id: expect.stringMatching(/^iwh_[0-9A-Z]{26}$/),
      });
      // The old name carries the same id for one release.
      expect(reply.body.webhook_id).toBe(reply.body.request_id);
      const requestId = reply.body.request_id;

      const stored = await eventually(async () => {
        const r = await tenant.request('GET', `/v1/inbound/${requestId}`);
        return r.body.status === 'ROUTED' ? r.body : undefined;
      });
      expect(stored.body).toBe(signed.body);
      expect(stored.body_encoding).toBe('utf8');
      expect(stored.type).toBe(signed.type);
      expect(stored.s3_uri).toMatch(
        new RegExp(
          `^s3://${platform.inboundBucket}/inbound-providers/${source.id}/\\d{4}/\\d{2}/\\d{2}/${requestId}$`,
        ),
      );
      // Archived at ingest, the default: the object is this body alone.
      expect(stored.s3_range).toBe(`bytes=0-${Buffer.byteLength(signed.body) - 1}`);
      expect(Date.parse(stored.routed_at)).toBeGreaterThanOrEqual(Date.parse(stored.received_at));

      const [event] = await busEventsFor(provider, requestId);
      expect(event).toMatchObject({
        source: `hookrelay.inbound.${provider}`,
        'detail-type': signed.type,
        detail: {
          tenant_id: 'inbound-providers',
          source_id: source.id,
          request_id: requestId,
          webhook_id: requestId,
          s3_uri: stored.s3_uri,
          s3_range: stored.s3_range,
          payload: JSON.parse(signed.body),
        },
      });
    },
  );

  it.each(INBOUND_PROVIDERS)(
    '%s: wrong signature, stale timestamp and missing header are refused and store nothing',
    async (provider) => {
      const { source, secret } = await createSource(provider);
      const other =
        provider === 'standard-webhooks'
          ? `whsec_${Buffer.from('another key').toString('base64')}`
          : `${secret}-not-it`;
      const wrong = await post(source.ingest_url, signAs(provider, other));
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({
        error: { code: 'invalid_signature', message: expect.any(String), details: expect.any(Array) },
      });
      expect(wrong.headers.get('x-request-id')).toBeTruthy();

      let refused = 1;
      if (TIMESTAMPED.has(provider)) {
        const stale = await post(source.ingest_url, signAs(provider, secret, { skewSeconds: -301 }));
        expect(stale.status).toBe(401);
        expect(stale.body.error.code).toBe('stale_timestamp');
        refused++;
      }
      const signed = signAs(provider, secret);
      const header = REQUIRED_HEADER[provider] ?? '';
      const without = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== header));
      const missing = await post(source.ingest_url, { body: signed.body, headers: without });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({
        code: 'missing_header',
        message: expect.stringContaining(header),
      });
      refused++;

      const requests = await tenant.request('GET', `/v1/sources/${source.id}/requests`);
      expect(requests.body).toEqual({ requests: [], next_cursor: null, has_more: false });
      const archived = await s3.send(
        new ListObjectsV2Command({
          Bucket: platform.inboundBucket,
          Prefix: `inbound-providers/${source.id}/`,
        }),
      );
      expect(archived.KeyCount ?? 0).toBe(0);
      const after = await tenant.request('GET', `/v1/sources/${source.id}`);
      expect(after.body.source.rejected_count).toBe(refused);
    },
  );

  it('a source of a provider that issues its own secret needs it; the others get one made', async () => {
    for (const provider of INBOUND_PROVIDERS) {
      const reply = await tenant.request('POST', '/v1/sources', {
        name: `${provider} without a secret`,
        provider,
        ...(provider === 'hmac' ? { config: HMAC_CONFIG } : {}),
      });
      if (ISSUED_SECRETS[provider]) {
        expect({ provider, status: reply.status }).toEqual({ provider, status: 400 });
        expect(reply.body.error.details).toEqual([
          { field: 'secret', message: `is required for the ${provider} provider` },
        ]);
      } else {
        expect({ provider, status: reply.status }).toEqual({ provider, status: 201 });
        expect(reply.body.source.secret).toMatch(/^whsec_/);
      }
    }
  });

  it('an unknown token is 404 and a body over 256 KB is 413, both as JSON errors', async () => {
    const unknown = await post(`${platform.ingestUrl}/in/${'x'.repeat(32)}`, { body: '{}', headers: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    const { source, secret } = await createSource('github');
    const big = signAs('github', secret, { body: JSON.stringify({ blob: 'a'.repeat(256 * 1024) }) });
    const tooLarge = await post(source.ingest_url, big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.code).toBe('payload_too_large');
  });

  it('a placeholder secret (the docs’ whsec_..., or any with an ellipsis) is refused, at creation and rotation', async () => {
    const before = (await tenant.request('GET', '/v1/sources')).body.sources.length;
    for (const secret of [
      'whsec_...',
      'whsec_abc…',
      'shpss_...your-secret',
      '<your signing secret>',
      '{{GITHUB_SECRET}}',
    ]) {
      const created = await tenant.request('POST', '/v1/sources', {
        name: 'pasted',
        provider: 'github',
        secret,
      });
      expect([secret, created.status, created.body.error?.code, created.body.error?.details]).toEqual([
        secret,
        400,
        'validation_error',
        [{ field: 'secret', message: expect.stringContaining('placeholder') }],
      ]);
    }
    expect((await tenant.request('GET', '/v1/sources')).body.sources.length).toBe(before);
    const { source } = await createSource('stripe');
    const rotated = await tenant.request('POST', `/v1/sources/${source.id}/rotate-secret`, {
      secret: 'whsec_...',
    });
    expect([rotated.status, rotated.body.error?.details?.[0]?.field]).toEqual([400, 'secret']);
    // A real secret with dots in it is still a secret.
    const dotted = await tenant.request('POST', `/v1/sources/${source.id}/rotate-secret`, {
      secret: 'whsec_a.b.c_4f9e2d',
    });
    expect(dotted.status).toBe(200);
  });

  it("an event type longer than EventBridge's detail-type limit is a 400 naming its header", async () => {
    const { source, secret } = await createSource('github');
    const signed = signAs('github', secret);
    const reply = await post(source.ingest_url, {
      body: signed.body,
      headers: { ...signed.headers, 'X-GitHub-Event': 'e'.repeat(2_000) },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({
      code: 'invalid_event_type',
      message: expect.stringContaining('X-GitHub-Event'),
    });
    const requests = await tenant.request('GET', `/v1/sources/${source.id}/requests`);
    expect(requests.body.requests).toEqual([]);
  });

  it('bytes that are not UTF-8 are kept exactly and read back as base64', async () => {
    const { source, secret } = await createSource('generic');
    const raw = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const { createHmac } = await import('node:crypto');
    const res = await fetch(source.ingest_url, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'X-Provider-ID': 'p',
        'X-Webhook-Signature': createHmac('sha256', secret).update(raw).digest('hex'),
      },
      body: raw,
    });
    expect(res.status).toBe(202);
    const { request_id } = (await res.json()) as { request_id: string };
    const stored = await eventually(async () => {
      const r = await tenant.request('GET', `/v1/inbound/${request_id}`);
      return r.body.status === 'ROUTED' ? r.body : undefined;
    });
    expect(stored.body_encoding).toBe('base64');
    expect(Buffer.from(stored.body, 'base64').equals(raw)).toBe(true);
  });
});
