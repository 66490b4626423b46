import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { captureOutput } from '../support/output.js';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { type ReceivedRequest, startReceiver, type TestReceiver } from '../support/receiver.js';
import { clientOf, startTokenServer, type TokenServer } from '../support/token-server.js';

/*
 * OAuth2 client credentials to endpoints: the platform gets a token from the tenant's token
 * endpoint (a real one on loopback), sends it as a bearer token, keeps it where every worker
 * instance and the API find it, gets exactly one new one when the endpoint says 401, and fails
 * the attempt with its own error kind when the token endpoint does not give one.
 */

const CLIENT = { id: 'hookrelay-deliveries', secret: 'cs_live_1a2b3c4d5e6f7a8b9c0d' };

interface Attempt {
  readonly attempt: number;
  readonly outcome: string;
  readonly status_code?: number;
  readonly error_kind?: string;
  readonly response?: string;
}

describe('OAuth2 client credentials to endpoints', () => {
  let platform: TestPlatform;
  let tenant: Client;
  let tokens: TokenServer;
  let endpoint: TestReceiver;
  /** Every response body the API gave, to prove no client secret was ever in one. */
  const answers: string[] = [];
  const stdout: string[] = [];
  let restoreOutput: () => void = () => {};

  const call = async (method: string, path: string, body?: unknown) => {
    const reply = await tenant.request(method, path, body);
    answers.push(reply.text);
    return reply;
  };
  const delivered = (eventId: string): ReceivedRequest | undefined =>
    endpoint.requests.find((r) => r.headers['webhook-id'] === eventId && tokens.accepts(r));
  const send = async (n: number): Promise<string> => {
    const sent = await call('POST', '/v1/events', { type: 'order.created', data: { n } });
    expect(sent.status).toBe(201);
    return sent.body.event_id;
  };
  const attemptsOf = async (webhookId: string, eventId: string): Promise<Attempt[]> => {
    const history = await call('GET', `/v1/webhooks/${webhookId}/deliveries?limit=100`);
    return (history.body.attempts as (Attempt & { event_id: string })[])
      .filter((a) => a.event_id === eventId)
      .sort((a, b) => a.attempt - b.attempt);
  };

  beforeAll(async () => {
    restoreOutput = captureOutput(stdout, ['stdout', 'stderr']);
    platform = await startTestPlatform({ retrySchedule: '0,1s,1s' });
    tokens = await startTokenServer(CLIENT);
    // The resource server: 200 for a live token it trusts, 401 for anything else.
    endpoint = await startReceiver((request) =>
      tokens.accepts(request) ? { status: 200 } : { status: 401 },
    );
    const created = await client(platform.apiUrl, platform.adminKey).request('POST', '/v1/tenants', {
      tenant_id: 'oauth-shop',
    });
    tenant = client(platform.apiUrl, created.body.api_key);
  });
  afterAll(async () => {
    restoreOutput();
    await endpoint?.close();
    await tokens?.close();
    await platform?.stop();
  });

  it('sends a token every instance shares, and gets one new token when the endpoint says 401', async () => {
    const created = await call('POST', '/v1/webhooks', {
      url: `${endpoint.url}/orders`,
      auth: {
        type: 'oauth2_client_credentials',
        token_url: tokens.url,
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        scope: 'webhooks.write',
      },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.webhook.id;
    expect(created.body.webhook.auth).toEqual({
      type: 'oauth2_client_credentials',
      token_url: tokens.url,
      client_id: CLIENT.id,
      client_secret: '****',
      scope: 'webhooks.write',
      client_authentication: 'client_secret_basic',
    });

    // The API's test send gets the first token...
    const test = await call('POST', `/v1/webhooks/${id}/test`);
    expect(test.body).toMatchObject({ success: true, status_code: 200 });
    expect(tokens.requests).toHaveLength(1);
    const asked = clientOf(tokens.requests[0] as ReceivedRequest);
    expect(asked).toMatchObject({ id: CLIENT.id, secret: CLIENT.secret });
    expect(Object.fromEntries(asked.form)).toEqual({
      grant_type: 'client_credentials',
      scope: 'webhooks.write',
    });
    expect(tokens.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');

    // ...and the worker, in instances of its own, finds it: no second fetch.
    const first = await send(1);
    const second = await send(2);
    await eventually(async () => (delivered(first) && delivered(second) ? true : undefined));
    expect(tokens.requests).toHaveLength(1);
    expect(delivered(first)?.headers.authorization).toBe(`Bearer ${tokens.issued[0]}`);

    // Revoked: the endpoint answers 401 once, the platform fetches exactly one new token and
    // delivers within the same attempt.
    tokens.revoke(tokens.issued[0] as string);
    const third = await send(3);
    await eventually(async () => delivered(third));
    expect(tokens.requests).toHaveLength(2);
    expect(delivered(third)?.headers.authorization).toBe(`Bearer ${tokens.issued[1]}`);
    const attempts = await eventually(async () => {
      const found = await attemptsOf(id, third);
      return found.length > 0 ? found : undefined;
    });
    expect(attempts).toEqual([expect.objectContaining({ attempt: 1, outcome: 'success', status_code: 200 })]);
    const refused = endpoint.requests.filter((r) => r.headers['webhook-id'] === third);
    expect(refused.map((r) => tokens.accepts(r))).toEqual([false, true]);
  });

  it('wrong credentials fail each attempt with error_kind auth_token, and the endpoint is never called', async () => {
    const created = await call('POST', '/v1/webhooks', {
      url: `${endpoint.url}/wrong`,
      events: ['invoice.paid'],
      auth: {
        type: 'oauth2_client_credentials',
        token_url: tokens.url,
        client_id: CLIENT.id,
        client_secret: 'not-the-secret',
        client_authentication: 'client_secret_post',
      },
    });
    const id: string = created.body.webhook.id;
    const sent = await call('POST', '/v1/events', { type: 'invoice.paid', data: {} });
    const attempts = await eventually(async () => {
      const found = await attemptsOf(id, sent.body.event_id);
      return found.length === 3 ? found : undefined;
    }, 30_000);
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ outcome: 'failure', error_kind: 'auth_token' });
      expect(attempt.status_code).toBeUndefined();
      expect(attempt.response).toContain(
        'token endpoint answered HTTP 401 (invalid_client: bad credentials)',
      );
    }
    const delivery = await eventually(async () => {
      const read = await call('GET', `/v1/events/${sent.body.event_id}`);
      const found = read.body.deliveries.find((d: { webhook_id: string }) => d.webhook_id === id);
      return found?.status === 'FAILED' ? found : undefined;
    });
    expect(delivery.last_error).toContain('auth_token: token endpoint answered HTTP 401');
    expect(endpoint.requests.filter((r) => r.path === '/wrong')).toEqual([]);
    // client_secret_post: the credentials in the form, no Basic header.
    const last = tokens.requests[tokens.requests.length - 1] as ReceivedRequest;
    expect(last.headers.authorization).toBeUndefined();
    expect(new URLSearchParams(last.body).get('client_id')).toBe(CLIENT.id);

    // The right secret set again: the next event goes through.
    const fixed = await call('PATCH', `/v1/webhooks/${id}`, {
      auth: { ...created.body.webhook.auth, client_secret: CLIENT.secret },
    });
    expect(fixed.status).toBe(200);
    const next = await call('POST', '/v1/events', { type: 'invoice.paid', data: { again: true } });
    await eventually(async () => delivered(next.body.event_id));
  });

  it('a token endpoint that answers garbage or cannot be reached fails the attempt the same way', async () => {
    const created = await call('POST', '/v1/webhooks', {
      url: `${endpoint.url}/garbage`,
      events: ['refund.created'],
      auth: {
        type: 'oauth2_client_credentials',
        token_url: tokens.url,
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
      },
    });
    const id: string = created.body.webhook.id;
    tokens.failWith({ status: 200, body: '<html>not json</html>' });
    try {
      const test = await call('POST', `/v1/webhooks/${id}/test`);
      expect(test.body).toMatchObject({ success: false, status_code: null, error_kind: 'auth_token' });
      expect(test.body.response).toBe('token endpoint answered something that is not JSON');
    } finally {
      tokens.failWith(undefined);
    }
    const gone = await call('PATCH', `/v1/webhooks/${id}`, {
      auth: { ...created.body.webhook.auth, token_url: 'http://127.0.0.1:9/token', client_secret: '****' },
    });
    expect(gone.status).toBe(200);
    expect(gone.body.webhook.auth.client_secret).toBe('****');
    const test = await call('POST', `/v1/webhooks/${id}/test`);
    expect(test.body).toMatchObject({ success: false, error_kind: 'auth_token' });
    expect(test.body.response).toMatch(/^token endpoint not reached \(refused: /);
  });

  it('refuses bad auth with a clear 400 and changes nothing', async () => {
    const created = await call('POST', '/v1/webhooks', { url: `${endpoint.url}/plain` });
    const id: string = created.body.webhook.id;
    const bad = [
      [{ type: 'oauth2_client_credentials', token_url: tokens.url, client_id: 'x' }, 'client_secret'],
      [{ type: 'basic', token_url: tokens.url, client_id: 'x', client_secret: 'y' }, 'type'],
      [
        { type: 'oauth2_client_credentials', token_url: 'ftp://x', client_id: 'x', client_secret: 'y' },
        'token_url',
      ],
      [
        {
          type: 'oauth2_client_credentials',
          token_url: 'http://169.254.169.254/t',
          client_id: 'x',
          client_secret: 'y',
        },
        'token_url',
      ],
      [
        { type: 'oauth2_client_credentials', token_url: tokens.url, client_id: 'x', client_secret: '****' },
        'client_secret',
      ],
    ] as const;
    for (const [auth, field] of bad) {
      const refused = await call('PATCH', `/v1/webhooks/${id}`, { auth });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('x-request-id')).toBeTruthy();
      expect(refused.body.error.code).toBe('validation_error');
      expect(JSON.stringify(refused.body.error)).toContain(field);
    }
    const read = await call('GET', `/v1/webhooks/${id}`);
    expect(read.body.webhook.auth).toBeUndefined();

    // null removes it.
    const set = await call('PATCH', `/v1/webhooks/${id}`, {
      auth: { type: 'oauth2_client_credentials', token_url: tokens.url, client_id: 'a', client_secret: 'b' },
    });
    expect(set.body.webhook.auth.client_id).toBe('a');
    const cleared = await call('PATCH', `/v1/webhooks/${id}`, { auth: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.webhook.auth).toBeUndefined();
    const test = await call('POST', `/v1/webhooks/${id}/test`);
    expect(test.body).toMatchObject({ success: false, status_code: 401 });
  });

  it('no response and no log line ever holds a client secret or a token', async () => {
    const everything = [...answers, ...stdout, ...platform.logs.map((l) => JSON.stringify(l))].join('\n');
    expect(everything).toContain('oauth2_client_credentials');
    expect(everything).not.toContain(CLIENT.secret);
    expect(everything).not.toContain('not-the-secret');
    expect(tokens.issued.length).toBeGreaterThan(0);
    for (const token of tokens.issued) expect(everything).not.toContain(token);
  });
});
