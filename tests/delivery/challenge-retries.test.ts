import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { receiverPool } from '../support/receiver.js';
import { answering, challenges, events } from './support/challenge.js';

/*
 * An ownership challenge that gets no answer is asked again by the worker, on a backoff (here
 * 1 s and 2 s, instead of 1, 5 and 15 minutes), before the webhook is left unverified with the
 * reason in its view; a tenant that starts requiring the challenge has its webhooks challenged
 * without anyone asking.
 */

describe('ownership challenges asked again', () => {
  let platform: TestPlatform;
  let tenant: Client;
  let admin: Client;
  const receivers = receiverPool();
  const receiver = receivers.start;
  const read = async (id: string) => (await tenant.request('GET', `/v1/webhooks/${id}`)).body.webhook;

  beforeAll(async () => {
    platform = await startTestPlatform({ extraEnv: { CHALLENGE_RETRY_SCHEDULE: '1s,2s' } });
    admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'retry-shop' });
    tenant = client(platform.apiUrl, created.body.api_key);
  });
  afterAll(async () => {
    await receivers.closeAll();
    await platform?.stop();
  });

  it('an endpoint that answers a later challenge is verified by it, and then gets events', async () => {
    // Answers from its third challenge on (deployed a little after the webhook was made).
    let seen = 0;
    const late = await receiver(answering(() => (seen++ < 2 ? 'ignore' : 'body')));
    const made = await tenant.request('POST', '/v1/webhooks', {
      url: `${late.url}/late`,
      verification: 'challenge',
    });
    expect(made.status).toBe(201);
    const id: string = made.body.webhook.id;
    expect(made.body.webhook).toMatchObject({
      verification_status: 'unverified',
      verification_error: 'HTTP 200 without the challenge echoed',
      unanswered_challenges: 1,
      next_challenge_at: expect.any(String),
    });

    const verified = await eventually(async () => {
      const webhook = await read(id);
      return webhook.verification_status === 'verified' ? webhook : undefined;
    });
    expect(challenges(late)).toHaveLength(3);
    expect(verified.verification_error).toBeUndefined();
    expect(verified.next_challenge_at).toBeUndefined();
    const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: {} });
    await eventually(async () =>
      events(late).some((r) => r.headers['webhook-id'] === sent.body.event_id) ? true : undefined,
    );
  });

  it('one that never answers is challenged on the schedule, then left unverified with the reason', async () => {
    const silent = await receiver(() => ({ status: 503 }));
    const made = await tenant.request('POST', '/v1/webhooks', {
      url: `${silent.url}/silent`,
      verification: 'challenge',
    });
    const id: string = made.body.webhook.id;
    const gaveUp = await eventually(async () => {
      const webhook = await read(id);
      return webhook.unanswered_challenges === 3 && webhook.next_challenge_at === undefined
        ? webhook
        : undefined;
    });
    expect(gaveUp).toMatchObject({ verification_status: 'unverified', verification_error: 'HTTP 503' });
    expect(challenges(silent)).toHaveLength(3);
    // Given up: no further challenge comes by itself.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(challenges(silent)).toHaveLength(3);
    expect(events(silent)).toEqual([]);

    // Asked by hand, the schedule starts again.
    const again = await tenant.request('POST', `/v1/webhooks/${id}/verify`);
    expect(again.body).toMatchObject({ verified: false, status_code: 503 });
    expect(await read(id)).toMatchObject({ unanswered_challenges: 1, next_challenge_at: expect.any(String) });
  });

  it("turning on the tenant's requirement challenges its unverified webhooks at once", async () => {
    const ready = await receiver(answering(() => 'header'));
    const quiet = await receiver(answering(() => 'ignore'));
    const first = await tenant.request('POST', '/v1/webhooks', { url: `${ready.url}/ready` });
    const second = await tenant.request('POST', '/v1/webhooks', { url: `${quiet.url}/quiet` });
    expect(challenges(ready)).toEqual([]);

    const on = await tenant.request('PATCH', '/v1/tenants/current', { require_endpoint_verification: true });
    expect(on.status).toBe(200);
    expect(on.body.unverified_webhook_ids).toEqual(
      expect.arrayContaining([first.body.webhook.id, second.body.webhook.id]),
    );
    // Nobody asks: the endpoint that answers is verified, the one that does not is told why.
    await eventually(async () =>
      (await read(first.body.webhook.id)).verification_status === 'verified' ? true : undefined,
    );
    expect(challenges(ready)).toHaveLength(1);
    const waiting = await eventually(async () => {
      const webhook = await read(second.body.webhook.id);
      return webhook.unanswered_challenges >= 1 ? webhook : undefined;
    });
    expect(waiting).toMatchObject({
      verification_status: 'unverified',
      verification_error: 'HTTP 200 without the challenge echoed',
    });
    expect(challenges(quiet).length).toBeGreaterThanOrEqual(1);
  });
});
