import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

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

describe('the first signed delivery, end to end', () => {
  it('delivers an event to a loopback receiver, signed for Standard Webhooks and Stripe', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'shop',
      target_url: `${receiver.url}/hooks`,
    });
    expect(created.status).toBe(201);
    expect(created.body.api_key).toMatch(/^hr_/);
    expect(created.body.webhook_secret).toMatch(/^whsec_/);

    const tenant = client(platform.apiUrl, created.body.api_key);
    const sent = await tenant.request('POST', '/v1/events', {
      type: 'order.created',
      data: { order_id: 'o_1', total: 42 },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ status: 'PENDING', type: 'order.created', deliveries: 1 });
    expect(sent.headers.get('x-request-id')).toBeTruthy();

    const event = await eventually(async () => {
      const got = await tenant.request('GET', `/v1/events/${sent.body.event_id}`);
      return got.body.status === 'DELIVERED' ? got.body : undefined;
    });
    expect(event.deliveries).toHaveLength(1);
    expect(event.deliveries[0].attempts).toHaveLength(1);
    expect(event.deliveries[0].attempts[0]).toMatchObject({
      status_code: 200,
      outcome: 'success',
      attempt: 1,
    });

    expect(receiver.requests).toHaveLength(1);
    const [req] = receiver.requests;
    if (!req) throw new Error('no request');
    const envelope = JSON.parse(req.body);
    expect(envelope).toEqual({
      id: sent.body.event_id,
      type: 'order.created',
      timestamp: sent.body.created_at,
      data: { order_id: 'o_1', total: 42 },
    });
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['webhook-id']).toBe(sent.body.event_id);

    const secret: string = created.body.webhook_secret;
    const verified = new Webhook(secret).verify(req.body, {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    });
    expect(verified).toEqual(envelope);

    const stripe = new Stripe('sk_test_unused');
    const stripeEvent = stripe.webhooks.constructEvent(
      req.body,
      String(req.headers['stripe-signature']),
      secret,
    );
    expect(stripeEvent).toEqual(envelope);
    expect(() =>
      stripe.webhooks.constructEvent(req.body, String(req.headers['stripe-signature']), 'whsec_other'),
    ).toThrow();
  });

  it('reaches the reference receiver, which verifies the signature itself', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'acme-ref',
      target_url: `${platform.receiverUrl}/acme-ref/webhook`,
    });
    expect(created.status).toBe(201);
    const tenant = client(platform.apiUrl, created.body.api_key);
    const sent = await tenant.request('POST', '/v1/events', { type: 'invoice.paid', data: { n: 1 } });
    const event = await eventually(async () => {
      const got = await tenant.request('GET', `/v1/events/${sent.body.event_id}`);
      return got.body.status !== 'PENDING' ? got.body : undefined;
    });
    expect(event.status).toBe('DELIVERED');
    expect(JSON.parse(event.deliveries[0].attempts[0].response)).toMatchObject({
      status: 'received',
      tenant_id: 'acme-ref',
    });

    const forged = await fetch(`${platform.receiverUrl}/acme-ref/webhook`, {
      method: 'POST',
      headers: {
        'webhook-id': 'x',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,AAAA',
      },
      body: '{}',
    });
    expect(forged.status).toBe(401);
  });

  it('rejects a missing or wrong key at the gateway with 401, as the front door answers it', async () => {
    for (const key of [undefined, 'hr_not-a-real-key']) {
      const reply = await client(platform.apiUrl, key).request('POST', '/v1/events', {
        type: 'a.b',
        data: {},
      });
      expect(reply.status).toBe(401);
      if (platform.apiGateway === 'rest') {
        expect(reply.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
        expect(reply.headers.get('x-request-id')).toBeTruthy();
      } else {
        // An HTTP API's own 401 (docs/deploy.md); the REST API's is in tests/api/rest-front-door.test.ts.
        expect(reply.body).toEqual({ message: 'Unauthorized' });
        expect(reply.headers.get('apigw-requestid')).toBeTruthy();
      }
    }
    // No handler ran: the API logged nothing for these requests, and nothing was stored.
    expect(platform.logs.filter((l) => l.level === 'ERROR')).toEqual([]);
  });
});
