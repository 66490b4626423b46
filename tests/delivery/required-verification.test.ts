import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { type Responder, receiverPool, type TestReceiver } from '../support/receiver.js';
import { answering, challenges, events } from './support/challenge.js';

/*
 * A tenant that requires the ownership challenge: every one of its webhooks, made before or
 * after, with or without verification "challenge", gets nothing until its endpoint has answered.
 */

/** Echoes challenges in the body when `answers` says so; takes events with 200. */
const endpoint = (answers: () => boolean): Responder => answering(() => (answers() ? 'body' : 'ignore'));

describe('a tenant that requires the ownership challenge', () => {
  let platform: TestPlatform;
  let admin: Client;
  let tenant: Client;
  let witness: TestReceiver;
  const receivers = receiverPool();
  const receiver = receivers.start;
  const got = (r: TestReceiver, eventId: string) =>
    events(r).some((request) => request.headers['webhook-id'] === eventId);

  /** Sends an event and waits until the witness has it: every other webhook has had its turn by then. */
  const send = async (n: number): Promise<string> => {
    const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: { n } });
    expect(sent.status).toBe(201);
    await eventually(async () => (got(witness, sent.body.event_id) ? true : undefined));
    return sent.body.event_id;
  };

  beforeAll(async () => {
    platform = await startTestPlatform({ retrySchedule: '0,1s,1s,1s' });
    admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'strict' });
    tenant = client(platform.apiUrl, created.body.api_key);
    witness = await receiver(endpoint(() => true));
    const hook = await tenant.request('POST', '/v1/webhooks', {
      url: `${witness.url}/w`,
      verification: 'challenge',
    });
    expect(hook.body.webhook.verification_status).toBe('verified');
  });
  afterAll(async () => {
    await receivers.closeAll();
    await platform?.stop();
  });

  it('an endpoint that does not answer never gets an event; one that answers does', async () => {
    // Made before the requirement, without the challenge: they get events.
    const silent = await receiver(endpoint(() => false));
    const before = await tenant.request('POST', '/v1/webhooks', { url: `${silent.url}/old` });
    expect(before.body.webhook.verification).toBe('none');
    const first = await send(1);
    await eventually(async () => (got(silent, first) ? true : undefined));

    const on = await tenant.request('PATCH', '/v1/tenants/current', { require_endpoint_verification: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({
      require_endpoint_verification: true,
      unverified_webhook_ids: [before.body.webhook.id],
    });
    expect((await tenant.request('GET', '/v1/tenants/current')).body.require_endpoint_verification).toBe(
      true,
    );
    const read = await tenant.request('GET', `/v1/webhooks/${before.body.webhook.id}`);
    expect(read.body.webhook).toMatchObject({
      verification: 'challenge',
      verification_required: true,
      verification_status: 'unverified',
    });

    // Made after, without asking for the challenge: it is challenged anyway, and told why.
    const answering = await receiver(endpoint(() => true));
    const quiet = await receiver(endpoint(() => false));
    const made = await tenant.request('POST', '/v1/webhooks', { url: `${answering.url}/new` });
    expect(made.status).toBe(201);
    expect(made.body.webhook).toMatchObject({
      verification: 'challenge',
      verification_required: true,
      verification_status: 'verified',
    });
    expect(made.body.challenge_result).toMatchObject({ verified: true });
    expect(made.body.message).toContain('requires the ownership challenge');
    const unanswered = await tenant.request('POST', '/v1/webhooks', {
      url: `${quiet.url}/new`,
      verification: 'none',
    });
    expect(unanswered.body.webhook).toMatchObject({
      verification: 'challenge',
      verification_status: 'unverified',
    });
    expect(challenges(quiet)).toHaveLength(1);

    // Asking for no challenge while the tenant requires one changes nothing, and says so.
    const declined = await tenant.request('PATCH', `/v1/webhooks/${unanswered.body.webhook.id}`, {
      verification: 'none',
    });
    expect(declined.status).toBe(200);
    expect(declined.body.webhook.verification_status).toBe('unverified');
    expect(declined.body.message).toContain('requires the ownership challenge');

    for (let n = 2; n < 5; n++) {
      const eventId = await send(n);
      await eventually(async () => (got(answering, eventId) ? true : undefined));
    }
    expect(events(silent)).toHaveLength(1);
    expect(events(quiet)).toEqual([]);

    // The webhook made before may now be challenged, and a failed answer keeps it waiting.
    const again = await tenant.request('POST', `/v1/webhooks/${before.body.webhook.id}/verify`);
    expect(again.body).toMatchObject({ verified: false, verification_status: 'unverified' });

    // Lifted by the admin: each webhook's own choice counts again.
    const off = await admin.request('PATCH', '/v1/tenants/strict', { require_endpoint_verification: false });
    expect(off.body.require_endpoint_verification).toBe(false);
    const eventId = await send(9);
    await eventually(async () => (got(silent, eventId) && got(quiet, eventId) ? true : undefined));
    const lifted = await tenant.request('GET', `/v1/webhooks/${before.body.webhook.id}`);
    expect(lifted.body.webhook.verification).toBe('none');
    expect(lifted.body.webhook.verification_required).toBeUndefined();
  });
});
