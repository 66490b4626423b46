import type { FrontDoor } from '@hookrelay/local';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, client, eventually, startTestPlatform, type TestPlatform } from './platform.js';
import { startReceiver, type TestReceiver } from './receiver.js';

/**
 * A few routes through one front door a stage may choose (`api_gateway`, docs/deploy.md), with
 * the events that API Gateway sends: what must be the same behind either (the API's own
 * answers, delivery, the authorizer cache) and what differs (the gateway's own answers). One
 * front door per test file: the functions read their configuration once, at init.
 */
export const frontDoorSmoke = (apiGateway: FrontDoor): void =>
  describe(`behind the ${apiGateway} front door`, () => {
    let platform: TestPlatform;
    let receiver: TestReceiver;
    let admin: Client;
    let tenant: Client;
    let key: string;

    beforeAll(async () => {
      platform = await startTestPlatform({ apiGateway });
      receiver = await startReceiver();
      admin = client(platform.apiUrl, platform.adminKey);
      const created = await admin.request('POST', '/v1/tenants', {
        tenant_id: `doors-${apiGateway}`,
        target_url: `${receiver.url}/doors`,
      });
      expect(created.status).toBe(201);
      key = created.body.api_key;
      tenant = client(platform.apiUrl, key);
    });

    afterAll(async () => {
      await receiver?.close();
      await platform?.stop();
    });

    it('is the front door the platform was asked for', () => {
      expect(platform.apiGateway).toBe(apiGateway);
    });

    it('accepts an event, delivers it, and reads it back by id and by status', async () => {
      const sent = await tenant.request('POST', '/v1/events', { type: 'order.paid', data: { n: 1 } });
      expect(sent.status).toBe(201);
      expect(sent.headers.get('x-request-id')).toBeTruthy();
      const id = sent.body.event_id as string;
      const delivered = await eventually(async () => {
        const got = await tenant.request('GET', `/v1/events/${id}`);
        return got.body.status === 'DELIVERED' ? got : undefined;
      });
      expect(delivered.body).toMatchObject({ event_id: id, type: 'order.paid', data: { n: 1 } });
      const listed = await tenant.request('GET', '/v1/events?status=DELIVERED&limit=10&status=DELIVERED');
      expect(listed.status).toBe(200);
      expect(listed.body.events.map((e: { event_id: string }) => e.event_id)).toContain(id);
    });

    it('answers the API’s own errors in the platform’s shape, with the caller’s x-request-id', async () => {
      const invalid = await tenant.request('GET', '/v1/events?limit=0', undefined, {
        'x-request-id': 'trace-123',
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.code).toBe('validation_error');
      expect(invalid.headers.get('x-request-id')).toBe('trace-123');
      const forbidden = await tenant.request('GET', '/v1/tenants/other');
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('forbidden');
      const notJson = await tenant.request('POST', '/v1/events', 'not json', {
        'content-type': 'text/plain',
      });
      expect(notJson.status).toBe(415);
    });

    it('serves the public routes without a key', async () => {
      expect((await client(platform.apiUrl).request('GET', '/health')).status).toBe(200);
      const openapi = await client(platform.apiUrl).request('GET', '/v1/openapi.json');
      expect(openapi.status).toBe(200);
      expect(openapi.body.openapi).toMatch(/^3\.1/);
    });

    it('answers a missing key by itself, as that API Gateway does', async () => {
      const reply = await client(platform.apiUrl).request('GET', '/v1/webhooks');
      expect(reply.status).toBe(401);
      if (apiGateway === 'rest') {
        expect(reply.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
        expect(reply.headers.get('x-request-id')).toBeTruthy();
      } else {
        expect(reply.body).toEqual({ message: 'Unauthorized' });
        expect(reply.headers.get('apigw-requestid')).toBeTruthy();
      }
    });

    it('keeps a revoked key working until the cached authorizer answer turns over', async () => {
      const created = await admin.request('POST', `/v1/tenants/doors-${apiGateway}/keys`);
      expect(created.status).toBe(201);
      const second = client(platform.apiUrl, created.body.api_key);
      expect((await second.request('GET', '/v1/webhooks')).status).toBe(200);
      expect(
        (await admin.request('DELETE', `/v1/tenants/doors-${apiGateway}/keys/${created.body.key_id}`)).status,
      ).toBe(204);
      expect((await second.request('GET', '/v1/webhooks')).status).toBe(200);
      platform.api.flushAuthorizerCache();
      expect((await second.request('GET', '/v1/webhooks')).status).toBe(401);
      expect((await tenant.request('GET', '/v1/webhooks')).status).toBe(200);
    });
  });
