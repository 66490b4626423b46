import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CachedToken, EndpointAuth, EndpointCredentials, TokenCache } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import {
  AuthenticatingSender,
  DestinationGuard,
  endpointSender,
  type HttpSender,
  parseAllowlist,
  type SendOptions,
  type SendRequest,
  type SendResult,
} from '../src/index.js';

/*
 * The authenticating sender with in-memory ports: which requests it makes to the token
 * endpoint and to the endpoint, and what it answers, for each way a token endpoint can behave.
 */

const AUTH: EndpointAuth = {
  type: 'oauth2_client_credentials',
  token_url: 'https://auth.example.com/token',
  client_id: 'client:1',
  credentials_id: 'v1',
};

type Script = (req: SendRequest, n: number) => Partial<SendResult>;

/** An HttpSender that answers as scripted and remembers what it was asked. */
const scripted = (script: Script) => {
  const requests: SendRequest[] = [];
  const options: SendOptions[] = [];
  const sender: HttpSender = {
    send: async (req, opts = {}) => {
      requests.push(req);
      options.push(opts);
      return { ok: false, duration_ms: 3, ...script(req, requests.length) };
    },
  };
  return { sender, requests, options };
};

const tokenAnswer = (body: unknown, status = 200): Partial<SendResult> => ({
  ok: status >= 200 && status < 300,
  status_code: status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

const memoryCache = () => {
  const items = new Map<string, CachedToken>();
  const cache: TokenCache = {
    get: async (t, w, c, now) => {
      const found = items.get(`${t}/${w}/${c}`);
      return found && found.use_until > now ? found : undefined;
    },
    put: async (t, w, c, token) => {
      items.set(`${t}/${w}/${c}`, token);
    },
  };
  return { cache, items };
};

const setup = (
  options: {
    token?: Script;
    endpoint?: Script;
    credentials?: EndpointCredentials;
    now?: () => number;
    retryWithinMs?: number;
  } = {},
) => {
  let issued = 0;
  const tokens = scripted(
    options.token ??
      (() => tokenAnswer({ access_token: `tok-${++issued}`, token_type: 'Bearer', expires_in: 3600 })),
  );
  const endpoint = scripted(options.endpoint ?? (() => ({ ok: true, status_code: 200 })));
  const cache = memoryCache();
  const sender = new AuthenticatingSender({
    sender: endpoint.sender,
    tokenSender: tokens.sender,
    credentials: { get: async () => options.credentials ?? { oauth_client_secret: 's3cret/+ &' } },
    tokens: cache.cache,
    now: options.now ?? (() => 1_000_000),
    ...(options.retryWithinMs !== undefined ? { retryWithinMs: options.retryWithinMs } : {}),
  });
  return { sender, tokens, endpoint, cache };
};

const request = (auth: EndpointAuth = AUTH): SendRequest => ({
  url: 'https://hooks.example.com/in',
  body: '{}',
  headers: { 'webhook-id': 'evt_1', Authorization: 'Bearer custom-header' },
  endpoint: { tenant_id: 'acme', webhook_id: 'wh_1', auth },
});

describe('AuthenticatingSender with OAuth2 client credentials', () => {
  it('asks for a token once, form-encoded with HTTP Basic, and sends it as the only Authorization', async () => {
    const { sender, tokens, endpoint, cache } = setup();
    expect(await sender.send(request())).toMatchObject({ ok: true, status_code: 200 });
    expect(await sender.send(request())).toMatchObject({ ok: true });
    expect(tokens.requests).toHaveLength(1);
    const asked = tokens.requests[0] as SendRequest;
    expect(asked.url).toBe(AUTH.token_url);
    expect(asked.body).toBe('grant_type=client_credentials');
    expect(asked.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // RFC 6749 2.3.1: id and secret form-encoded, then joined.
    expect(asked.headers.authorization).toBe(
      `Basic ${Buffer.from('client%3A1:s3cret%2F%2B+%26').toString('base64')}`,
    );
    expect(tokens.options[0]?.readBody).toBe(true);
    for (const sent of endpoint.requests) {
      const auth = Object.entries(sent.headers).filter(([name]) => name.toLowerCase() === 'authorization');
      expect(auth).toEqual([['authorization', 'Bearer tok-1']]);
    }
    // Used until a minute before its hour is up.
    expect([...cache.items.values()]).toEqual([{ access_token: 'tok-1', use_until: 1_000_000 + 3_540_000 }]);
  });

  it('sends the credentials in the form with client_secret_post, and the scope', async () => {
    const { sender, tokens } = setup();
    await sender.send(request({ ...AUTH, client_authentication: 'client_secret_post', scope: 'a b' }));
    const asked = tokens.requests[0] as SendRequest;
    expect(asked.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(asked.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'a b',
      client_id: 'client:1',
      client_secret: 's3cret/+ &',
    });
  });

  it('a short-lived token is kept a tenth of its life less; one without expires_in five minutes', async () => {
    const short = setup({ token: () => tokenAnswer({ access_token: 't', expires_in: 100 }) });
    await short.sender.send(request());
    expect([...short.cache.items.values()][0]?.use_until).toBe(1_000_000 + 90_000);
    const none = setup({ token: () => tokenAnswer({ access_token: 't' }) });
    await none.sender.send(request());
    expect([...none.cache.items.values()][0]?.use_until).toBe(1_000_000 + 270_000);
  });

  it('on a 401 gets exactly one new token and tries once more; a second 401 is the answer', async () => {
    const once = setup({
      endpoint: (_, n) => (n === 1 ? { status_code: 401 } : { ok: true, status_code: 200 }),
    });
    expect(await once.sender.send(request())).toMatchObject({ ok: true, status_code: 200 });
    expect(once.tokens.requests).toHaveLength(2);
    expect(once.endpoint.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);

    const always = setup({ endpoint: () => ({ status_code: 401, error_kind: 'http' }) });
    expect(await always.sender.send(request())).toMatchObject({ ok: false, status_code: 401 });
    expect(always.tokens.requests).toHaveLength(2);
    expect(always.endpoint.requests).toHaveLength(2);
  });

  it('does not try a 401 again once the attempt has used its time for one', async () => {
    const late = setup({ endpoint: () => ({ status_code: 401 }), retryWithinMs: 0 });
    expect(await late.sender.send(request())).toMatchObject({ ok: false, status_code: 401 });
    expect(late.tokens.requests).toHaveLength(1);
    expect(late.endpoint.requests).toHaveLength(1);
  });

  it.each([
    [
      'an OAuth error',
      tokenAnswer({ error: 'invalid_client', error_description: 'unknown client' }, 401),
      'token endpoint answered HTTP 401 (invalid_client: unknown client)',
    ],
    ['a server error', tokenAnswer('<h1>oops</h1>', 502), 'token endpoint answered HTTP 502'],
    ['not JSON', tokenAnswer('<html>'), 'token endpoint answered something that is not JSON'],
    ['no token', tokenAnswer({ token_type: 'Bearer' }), 'token endpoint answered without an access_token'],
    [
      'another kind of token',
      tokenAnswer({ access_token: 'x', token_type: 'mac' }),
      'token endpoint answered a mac token, not a bearer token',
    ],
    [
      'no answer',
      { error_kind: 'refused', error: 'connect ECONNREFUSED' } as Partial<SendResult>,
      'token endpoint not reached (refused: connect ECONNREFUSED)',
    ],
  ])(
    'a token endpoint that answers %s fails with auth_token and never calls the endpoint',
    async (_, answer, why) => {
      const { sender, endpoint } = setup({ token: () => answer });
      const result = await sender.send(request());
      expect(result).toMatchObject({ ok: false, error_kind: 'auth_token', error: why, response: why });
      expect(result.status_code).toBeUndefined();
      expect(endpoint.requests).toEqual([]);
    },
  );

  it('fails with auth_token when no client secret is stored', async () => {
    const { sender, tokens } = setup({ credentials: {} });
    expect(await sender.send(request())).toMatchObject({ ok: false, error_kind: 'auth_token' });
    expect(tokens.requests).toEqual([]);
  });

  it('a request given up while its token is fetched is abandoned, not an auth failure', async () => {
    let answer: (result: SendResult) => void = () => {};
    const slowTokens: HttpSender = { send: () => new Promise((resolve) => (answer = resolve)) };
    const endpoint = scripted(() => ({ ok: true, status_code: 200 }));
    const sender = new AuthenticatingSender({
      sender: endpoint.sender,
      tokenSender: slowTokens,
      credentials: { get: async () => ({ oauth_client_secret: 's' }) },
      tokens: memoryCache().cache,
      now: () => 0,
    });
    const giveUp = new AbortController();
    const sent = sender.send(request(), { signal: giveUp.signal });
    await new Promise((resolve) => setImmediate(resolve));
    giveUp.abort();
    expect(await sent).toMatchObject({ ok: false, abandoned: true });
    // The token still comes (for whoever asks next), and the endpoint was never called.
    answer({ ok: true, status_code: 200, duration_ms: 1, body: '{"access_token":"late"}' });
    expect(endpoint.requests).toEqual([]);
  });

  it('messages of one batch that find no token share one token request', async () => {
    const { sender, tokens, endpoint } = setup();
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => sender.send(request())));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(tokens.requests).toHaveLength(1);
    expect(new Set(endpoint.requests.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer tok-1']));
  });

  it('deliveries refused the same token at the same moment share one new token', async () => {
    const revoked = new Set<string>();
    const { sender, tokens } = setup({
      endpoint: (req) =>
        revoked.has(String(req.headers.authorization))
          ? { status_code: 401 }
          : { ok: true, status_code: 200 },
    });
    await sender.send(request());
    expect(tokens.requests).toHaveLength(1);
    revoked.add('Bearer tok-1');
    const results = await Promise.all([1, 2, 3].map(() => sender.send(request())));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(tokens.requests).toHaveLength(2);
  });
});

describe('AuthenticatingSender with a client certificate', () => {
  const certificate = {
    certificate: 'CERT',
    ca_certificate: 'CA',
    subject: 'CN=c',
    issuer: 'CN=ca',
    fingerprint_sha256: 'AA',
    not_before: '2026-01-01T00:00:00.000Z',
    not_after: '2027-01-01T00:00:00.000Z',
    credentials_id: 'c1',
  };
  const withCertificate = (url: string): SendRequest => ({
    url,
    body: '{}',
    headers: {},
    endpoint: { tenant_id: 'acme', webhook_id: 'wh_1', tls_client_certificate: certificate },
  });

  it('presents it, with its key, on https only', async () => {
    const { sender, endpoint } = setup({ credentials: { tls_private_key: 'KEY' } });
    await sender.send(withCertificate('https://hooks.example.com/in'));
    await sender.send(withCertificate('http://hooks.example.com/in'));
    expect(endpoint.requests.map((r) => r.tls)).toEqual([{ cert: 'CERT', key: 'KEY', ca: 'CA' }, undefined]);
  });

  it('fails with tls when its key is missing', async () => {
    const { sender, endpoint } = setup({ credentials: {} });
    expect(await sender.send(withCertificate('https://hooks.example.com/in'))).toMatchObject({
      ok: false,
      error_kind: 'tls',
    });
    expect(endpoint.requests).toEqual([]);
  });

  it('passes a request for a webhook without either through untouched', async () => {
    const { sender, endpoint, tokens } = setup();
    const plain: SendRequest = { url: 'https://hooks.example.com/in', body: '{}', headers: { a: 'b' } };
    await sender.send(plain);
    expect(endpoint.requests).toEqual([plain]);
    expect(tokens.requests).toEqual([]);
  });
});

describe('endpointSender', () => {
  it('asks token endpoints under the destination guard: a name that resolves to loopback is refused', async () => {
    let asked = 0;
    const server = createServer((_, res) => {
      asked++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"access_token":"t"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const sender = endpointSender({
        guard: new DestinationGuard(parseAllowlist('')),
        timeoutMs: 2_000,
        httpsOnly: false,
        credentials: { get: async () => ({ oauth_client_secret: 's' }) },
        tokens: memoryCache().cache,
      });
      const result = await sender.send(request({ ...AUTH, token_url: `http://localhost:${port}/token` }));
      expect(result).toMatchObject({ ok: false, error_kind: 'auth_token' });
      expect(result.error).toMatch(
        /^token endpoint not reached \(blocked: localhost resolves only to refused addresses/,
      );
      expect(asked).toBe(0);
    } finally {
      server.close();
    }
  });
});
