import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { makeTestCa, type TestCa } from '../support/certificates.js';
import { captureOutput } from '../support/output.js';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

/*
 * Mutual TLS to endpoints: a receiver on loopback that takes only clients whose certificate its
 * own CA (made here, with openssl) signed gets the platform's deliveries when the webhook carries
 * such a certificate and key, and nothing without one. The key is never shown again.
 */

const keyBody = (pem: string) =>
  pem
    .split('\n')
    .filter((line) => !line.startsWith('-----'))
    .join('');

describe('mutual TLS to endpoints', () => {
  let platform: TestPlatform;
  let tenant: Client;
  let ca: TestCa;
  let endpoint: TestReceiver;
  const answers: string[] = [];
  const stdout: string[] = [];
  const keys: string[] = [];
  let restoreOutput: () => void = () => {};

  const call = async (method: string, path: string, body?: unknown) => {
    const reply = await tenant.request(method, path, body);
    answers.push(reply.text);
    return reply;
  };

  beforeAll(async () => {
    restoreOutput = captureOutput(stdout, ['stdout', 'stderr']);
    ca = makeTestCa();
    endpoint = await startReceiver(() => ({ status: 200 }), { tls: { ...ca.server(), clientCa: ca.cert } });
    platform = await startTestPlatform({ retrySchedule: '0,1s' });
    const created = await client(platform.apiUrl, platform.adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'mtls-shop',
    });
    tenant = client(platform.apiUrl, created.body.api_key);
  });
  afterAll(async () => {
    restoreOutput();
    ca?.remove();
    await endpoint?.close();
    await platform?.stop();
  });

  it('presents the client certificate on https deliveries; without it nothing gets through', async () => {
    const pair = ca.client('hookrelay-client');
    keys.push(pair.key);
    const created = await call('POST', '/v1/webhooks', {
      url: `${endpoint.url}/mtls`,
      tls_client_certificate: { certificate: pair.cert, private_key: pair.key, ca_certificate: ca.cert },
    });
    expect(created.status).toBe(201);
    const x509 = new X509Certificate(pair.cert);
    expect(created.body.webhook.tls_client_certificate).toEqual({
      subject: 'CN=hookrelay-client, O=Hookrelay Tests',
      issuer: 'CN=Hookrelay Test CA',
      fingerprint_sha256: x509.fingerprint256,
      not_before: x509.validFromDate.toISOString(),
      not_after: x509.validToDate.toISOString(),
      status: 'valid',
      has_ca_certificate: true,
      private_key: '****',
    });

    const sent = await call('POST', '/v1/events', { type: 'order.created', data: { n: 1 } });
    const got = await eventually(async () =>
      endpoint.requests.find((r) => r.headers['webhook-id'] === sent.body.event_id),
    );
    expect(got.clientCertificate).toEqual({ cn: 'hookrelay-client', fingerprint256: x509.fingerprint256 });
    const test = await call('POST', `/v1/webhooks/${created.body.webhook.id}/test`);
    expect(test.body).toMatchObject({ success: true, status_code: 200 });

    // A certificate from a CA the endpoint does not trust: the endpoint refuses the handshake.
    const stranger = makeTestCa('Stranger CA');
    try {
      const foreign = stranger.client('hookrelay-client');
      keys.push(foreign.key);
      const other = await call('POST', '/v1/webhooks', {
        url: `${endpoint.url}/foreign`,
        events: ['invoice.paid'],
        tls_client_certificate: {
          certificate: foreign.cert,
          private_key: foreign.key,
          ca_certificate: ca.cert,
        },
      });
      const refused = await call('POST', `/v1/webhooks/${other.body.webhook.id}/test`);
      expect(refused.body).toMatchObject({ success: false, status_code: null });
      expect(['tls', 'reset']).toContain(refused.body.error_kind);
    } finally {
      stranger.remove();
    }
    // No certificate and no CA: the endpoint's own certificate is not trusted either.
    const bare = await call('POST', '/v1/webhooks', {
      url: `${endpoint.url}/bare`,
      events: ['invoice.paid'],
    });
    const untrusted = await call('POST', `/v1/webhooks/${bare.body.webhook.id}/test`);
    expect(untrusted.body).toMatchObject({ success: false, status_code: null, error_kind: 'tls' });
    expect(endpoint.requests.filter((r) => r.path === '/foreign' || r.path === '/bare')).toEqual([]);
  });

  it('refuses garbage and mismatched pairs with a clear 400, and says when a certificate nears its end', async () => {
    const pair = ca.client('hookrelay-client');
    const other = ca.client('someone-else');
    keys.push(pair.key, other.key);
    const created = await call('POST', '/v1/webhooks', { url: `${endpoint.url}/checks` });
    const id: string = created.body.webhook.id;
    const cases = [
      [
        { certificate: 'not a certificate', private_key: pair.key },
        'tls_client_certificate.certificate',
        'PEM certificate',
      ],
      [
        { certificate: pair.cert, private_key: 'garbage' },
        'tls_client_certificate.private_key',
        'PEM private key',
      ],
      [
        { certificate: pair.cert, private_key: other.key },
        'tls_client_certificate.private_key',
        'does not belong to the certificate',
      ],
      [
        { certificate: pair.cert, private_key: pair.key, ca_certificate: 'nope' },
        'tls_client_certificate.ca_certificate',
        'PEM certificate',
      ],
      [
        { certificate: pair.cert, private_key: '****' },
        'tls_client_certificate.private_key',
        'no private key is stored',
      ],
    ] as const;
    for (const [certificate, field, message] of cases) {
      const refused = await call('PATCH', `/v1/webhooks/${id}`, { tls_client_certificate: certificate });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('x-request-id')).toBeTruthy();
      expect(refused.body.error.details).toEqual([{ field, message: expect.stringContaining(message) }]);
      expect(refused.body.error.message).toContain(field);
    }
    expect((await call('GET', `/v1/webhooks/${id}`)).body.webhook.tls_client_certificate).toBeUndefined();

    // A certificate that ends within 30 days shows as expiring, in the view and the list.
    const soon = ca.client('expires-soon', 10);
    keys.push(soon.key);
    const set = await call('PATCH', `/v1/webhooks/${id}`, {
      tls_client_certificate: { certificate: soon.cert, private_key: soon.key },
    });
    expect(set.status).toBe(200);
    expect(set.body.webhook.tls_client_certificate).toMatchObject({
      subject: expect.stringContaining('CN=expires-soon'),
      status: 'expiring',
    });
    const listed = (await call('GET', '/v1/webhooks')).body.webhooks.find((w: { id: string }) => w.id === id);
    expect(listed.tls_client_certificate.status).toBe('expiring');

    // The key sent back masked keeps the stored one; null removes the certificate.
    const kept = await call('PATCH', `/v1/webhooks/${id}`, {
      tls_client_certificate: { certificate: soon.cert, private_key: '****', ca_certificate: ca.cert },
    });
    expect(kept.status).toBe(200);
    expect(kept.body.webhook.tls_client_certificate).toMatchObject({
      has_ca_certificate: true,
      private_key: '****',
    });
    const test = await call('POST', `/v1/webhooks/${id}/test`);
    expect(test.body).toMatchObject({ success: true, status_code: 200 });
    expect(endpoint.requests.filter((r) => r.path === '/checks').map((r) => r.clientCertificate?.cn)).toEqual(
      ['expires-soon'],
    );
    const removed = await call('PATCH', `/v1/webhooks/${id}`, { tls_client_certificate: null });
    expect(removed.body.webhook.tls_client_certificate).toBeUndefined();
  });

  it('tells subscribed webhooks once that a certificate nears its end', async () => {
    const ops = await startReceiver();
    try {
      await call('POST', '/v1/webhooks', {
        url: `${ops.url}/ops`,
        events: ['hookrelay.endpoint.certificate_expiring'],
      });
      const soon = ca.client('renew-me', 5);
      keys.push(soon.key);
      const expiring = await call('POST', '/v1/webhooks', {
        url: `${endpoint.url}/expiring`,
        events: ['shipment.sent'],
        tls_client_certificate: { certificate: soon.cert, private_key: soon.key, ca_certificate: ca.cert },
      });
      const id: string = expiring.body.webhook.id;
      for (const n of [1, 2]) {
        const sent = await call('POST', '/v1/events', { type: 'shipment.sent', data: { n } });
        await eventually(async () =>
          endpoint.requests.find((r) => r.headers['webhook-id'] === sent.body.event_id),
        );
      }
      const notice = await eventually(async () => ops.requests[0]);
      const x509 = new X509Certificate(soon.cert);
      expect(JSON.parse(notice.body)).toMatchObject({
        type: 'hookrelay.endpoint.certificate_expiring',
        data: {
          webhook_id: id,
          subject: 'CN=renew-me, O=Hookrelay Tests',
          fingerprint_sha256: x509.fingerprint256,
          not_after: x509.validToDate.toISOString(),
          status: 'expiring',
        },
      });
      // Two deliveries with the same certificate: one notice.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(ops.requests).toHaveLength(1);
    } finally {
      await ops.close();
    }
  });

  it('no response and no log line ever holds a private key', async () => {
    const everything = [...answers, ...stdout, ...platform.logs.map((l) => JSON.stringify(l))].join('\n');
    expect(everything).toContain('tls_client_certificate');
    expect(keys.length).toBeGreaterThanOrEqual(4);
    for (const key of keys) expect(everything).not.toContain(keyBody(key).slice(0, 40));
  });
});
