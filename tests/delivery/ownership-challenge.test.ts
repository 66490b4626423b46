import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { receiverPool, type TestReceiver } from '../support/receiver.js';
import { answering, challengeOf, challenges, events, typeOf, VERIFICATION } from './support/challenge.js';

/*
 * The ownership challenge: a webhook created with verification "challenge" gets nothing until
 * the endpoint at its URL has echoed a signed challenge, and a new URL must answer again.
 */

describe('the ownership challenge', () => {
  let platform: TestPlatform;
  let tenant: Client;
  /** Always verified: when it has an event, every webhook that was going to get it has had its turn. */
  let witness: TestReceiver;
  const receivers = receiverPool();
  const receiver = receivers.start;

  /** Sends an event and waits until the witness has it: any other webhook's first attempt is made by then. */
  const send = async (n: number): Promise<string> => {
    const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: { n } });
    expect(sent.status).toBe(201);
    await eventually(async () =>
      events(witness).some((r) => r.headers['webhook-id'] === sent.body.event_id) ? true : undefined,
    );
    return sent.body.event_id;
  };

  beforeAll(async () => {
    platform = await startTestPlatform({ retrySchedule: '0,1s,1s,1s' });
    const created = await client(platform.apiUrl, platform.adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'owners',
    });
    tenant = client(platform.apiUrl, created.body.api_key);
    witness = await receiver(answering(() => 'body'));
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

  it('an endpoint that does not answer the challenge never receives an event', async () => {
    const silent = await receiver(answering(() => 'ignore'));
    const created = await tenant.request('POST', '/v1/webhooks', {
      url: `${silent.url}/hooks`,
      verification: 'challenge',
    });
    expect(created.status).toBe(201);
    const { id, secret } = created.body.webhook;
    expect(created.body.webhook).toMatchObject({
      verification: 'challenge',
      verification_status: 'unverified',
    });
    expect(created.body.challenge_result).toMatchObject({ verified: false, status_code: 200 });
    expect(created.body.message).toContain(`/v1/webhooks/${id}/verify`);

    // It got the challenge, signed like any delivery, and nothing else.
    const [challenge] = challenges(silent);
    if (!challenge) throw new Error('no challenge was sent');
    const payload = new Webhook(secret).verify(challenge.body, challenge.headers as Record<string, string>);
    expect(payload).toMatchObject({
      type: VERIFICATION,
      data: { webhook_id: id, challenge: expect.any(String) },
    });
    for (let n = 0; n < 3; n++) {
      const eventId = await send(n);
      const event = await tenant.request('GET', `/v1/events/${eventId}`);
      expect(event.body.deliveries.map((d: { webhook_id: string }) => d.webhook_id)).not.toContain(id);
    }
    expect(events(silent)).toEqual([]);

    expect((await tenant.request('GET', `/v1/webhooks/${id}`)).body.webhook.verification_status).toBe(
      'unverified',
    );
    const test = await tenant.request('POST', `/v1/webhooks/${id}/test`);
    expect([test.status, test.body.error.code]).toEqual([409, 'webhook_unverified']);
    const again = await tenant.request('POST', `/v1/webhooks/${id}/verify`);
    expect(again.body).toMatchObject({ webhook_id: id, verified: false, verification_status: 'unverified' });
    expect(challenges(silent)).toHaveLength(2);
    expect(events(silent)).toEqual([]);
  });

  it('an endpoint that answers, in the body or in the header, gets the events', async () => {
    for (const how of ['body', 'header'] as const) {
      const echoing = await receiver(answering(() => how));
      const created = await tenant.request('POST', '/v1/webhooks', {
        url: `${echoing.url}/hooks`,
        verification: 'challenge',
      });
      expect(created.body.webhook).toMatchObject({
        verification_status: 'verified',
        verified_at: expect.any(String),
      });
      expect(created.body.challenge_result).toMatchObject({ verified: true, status_code: 200 });
      const eventId = await send(10);
      await eventually(async () =>
        events(echoing).some((r) => r.headers['webhook-id'] === eventId) ? true : undefined,
      );
    }
  });

  it('a URL change needs a new answer; POST /verify asks again', async () => {
    const first = await receiver(answering(() => 'body'));
    let secondAnswers: 'body' | 'ignore' = 'ignore';
    const second = await receiver(answering(() => secondAnswers));
    const created = await tenant.request('POST', '/v1/webhooks', {
      url: `${first.url}/a`,
      verification: 'challenge',
    });
    const { id } = created.body.webhook;
    expect(created.body.webhook.verification_status).toBe('verified');

    const moved = await tenant.request('PATCH', `/v1/webhooks/${id}`, { url: `${second.url}/b` });
    expect(moved.status).toBe(200);
    expect(moved.body.webhook.verification_status).toBe('unverified');
    expect(moved.body.webhook.verified_at).toBeUndefined();
    expect(moved.body.challenge_result).toMatchObject({ verified: false });
    expect(challenges(second)).toHaveLength(1);
    await send(20);
    expect(events(second)).toEqual([]);
    const firstSeen = events(first).length;

    // A change that keeps the URL asks for nothing new.
    const described = await tenant.request('PATCH', `/v1/webhooks/${id}`, { description: 'moved' });
    expect(described.body.challenge_result).toBeUndefined();
    expect(challenges(second)).toHaveLength(1);

    secondAnswers = 'body';
    const verified = await tenant.request('POST', `/v1/webhooks/${id}/verify`);
    expect(verified.body).toMatchObject({ webhook_id: id, verified: true, verification_status: 'verified' });
    const eventId = await send(21);
    await eventually(async () =>
      events(second).some((r) => r.headers['webhook-id'] === eventId) ? true : undefined,
    );
    expect(events(first)).toHaveLength(firstSeen);
  });

  it('a delivery still retrying when the URL changes never reaches the new URL unanswered', async () => {
    let failing = true;
    const flaky = await receiver((request) =>
      typeOf(request) === VERIFICATION
        ? { status: 200, body: JSON.stringify({ challenge: challengeOf(request) }) }
        : { status: failing ? 500 : 200 },
    );
    const silent = await receiver(answering(() => 'ignore'));
    const created = await tenant.request('POST', '/v1/webhooks', {
      url: `${flaky.url}/f`,
      verification: 'challenge',
    });
    const { id } = created.body.webhook;
    const eventId = await send(30);
    await eventually(async () => (events(flaky).length > 0 ? true : undefined));
    await tenant.request('PATCH', `/v1/webhooks/${id}`, { url: `${silent.url}/s` });
    failing = false;
    const cancelled = await eventually(async () => {
      const event = await tenant.request('GET', `/v1/events/${eventId}`);
      const delivery = event.body.deliveries.find((d: { webhook_id: string }) => d.webhook_id === id);
      return delivery?.status === 'CANCELLED' ? delivery : undefined;
    });
    expect(cancelled.status).toBe('CANCELLED');
    expect(events(silent)).toEqual([]);
  });

  it('only a webhook that asks for the challenge can be challenged; the challenge can be turned off', async () => {
    const plain = await receiver(answering(() => 'ignore'));
    const created = await tenant.request('POST', '/v1/webhooks', { url: `${plain.url}/p` });
    expect(created.body.webhook.verification).toBe('none');
    expect(created.body.challenge_result).toBeUndefined();
    const refused = await tenant.request('POST', `/v1/webhooks/${created.body.webhook.id}/verify`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'verification_not_enabled']);

    // Turned on by a PATCH, the endpoint is challenged at once; turned off, it gets events again.
    const on = await tenant.request('PATCH', `/v1/webhooks/${created.body.webhook.id}`, {
      verification: 'challenge',
    });
    expect(on.body.webhook.verification_status).toBe('unverified');
    expect(challenges(plain)).toHaveLength(1);
    const off = await tenant.request('PATCH', `/v1/webhooks/${created.body.webhook.id}`, {
      verification: 'none',
    });
    expect(off.body.webhook.verification).toBe('none');
    const eventId = await send(40);
    await eventually(async () =>
      events(plain).some((r) => r.headers['webhook-id'] === eventId) ? true : undefined,
    );
  });
});
