import type { CachedToken, EndpointAuth, EndpointCredentialStore, TokenCache } from '@hookrelay/domain';
import {
  type EndpointTrust,
  type HttpSender,
  type HttpSenderOptions,
  NodeHttpSender,
  type SendOptions,
  type SendRequest,
  type SendResult,
} from './http-sender.js';
import { requestToken, type TokenAnswer } from './oauth-token.js';

type NoToken = Extract<TokenAnswer, { ok: false }>;

interface AuthenticatingSenderPorts {
  /** Makes the requests to endpoints. */
  readonly sender: HttpSender;
  /** Asks token endpoints for tokens (guarded like `sender`, with a shorter deadline). */
  readonly tokenSender: HttpSender;
  readonly credentials: Pick<EndpointCredentialStore, 'get'>;
  readonly tokens: TokenCache;
  readonly now: () => number;
  /**
   * A 401 is tried again only if the attempt so far took less than this (ms): with a second
   * token and a second request, an attempt then still ends within one Lambda invocation.
   */
  readonly retryWithinMs?: number;
}

const failed = (started: number, error: string, kind: SendResult['error_kind']): SendResult => ({
  ok: false,
  duration_ms: Math.round(performance.now() - started),
  error_kind: kind,
  error,
  // The attempt log shows the response: here, why there was none.
  response: error,
});

const ABANDONED: NoToken = {
  ok: false,
  error: 'abandoned before the token endpoint answered',
  abandoned: true,
};

/** What `pending` comes to, or abandoned as soon as `signal` fires (the request itself goes on for others). */
const untilAbandoned = <T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T | NoToken> => {
  if (!signal) return pending;
  if (signal.aborted) return Promise.resolve(ABANDONED);
  return new Promise((resolve, reject) => {
    const abandon = () => resolve(ABANDONED);
    signal.addEventListener('abort', abandon, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', abandon);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abandon);
        reject(error);
      },
    );
  });
};

/** The request with the bearer token, replacing any other Authorization header. */
const withBearer = (req: SendRequest, token: CachedToken): SendRequest => ({
  ...req,
  headers: {
    ...Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => name.toLowerCase() !== 'authorization'),
    ),
    authorization: `Bearer ${token.access_token}`,
  },
});

/**
 * Sends to endpoints that authenticate beyond the signatures (`request.endpoint`): presents the
 * webhook's client certificate on https (mutual TLS), and sends an OAuth2 access token as
 * `Authorization: Bearer`. Tokens are cached where every instance finds them (`TokenCache`), per
 * webhook and credentials version, until shortly before they expire; an endpoint that answers
 * 401 gets one new token, fetched at once, and the request once more within the same attempt. No
 * token (the token endpoint failed) fails the attempt with `error_kind` `auth_token`, without
 * calling the endpoint. Any other request passes through as it is.
 *
 * @example
 * const sender = new AuthenticatingSender({ sender: http, tokenSender, credentials, tokens, now: Date.now });
 * await sender.send(signedRequest(webhook.url, envelope, secrets, now, webhook));
 */
export class AuthenticatingSender implements HttpSender {
  /**
   * Token requests in flight in this instance, per webhook, credentials version and purpose: the
   * messages of one batch that find no token share one request instead of each making its own.
   * (Instances share tokens through `TokenCache`; this only joins requests made at one moment.)
   */
  private readonly fetching = new Map<string, Promise<CachedToken | NoToken>>();

  constructor(private readonly ports: AuthenticatingSenderPorts) {}

  async send(req: SendRequest, options: SendOptions = {}): Promise<SendResult> {
    const trust = req.endpoint;
    if (!trust || (!trust.auth && !trust.tls_client_certificate)) return this.ports.sender.send(req, options);
    const started = performance.now();
    const auth = trust.auth;
    // The secrets and the cached token are read together: the token's key needs no secret.
    const [credentials, cached] = await Promise.all([
      this.ports.credentials.get(trust.tenant_id, trust.webhook_id),
      auth
        ? this.ports.tokens
            .get(trust.tenant_id, trust.webhook_id, auth.credentials_id, this.ports.now())
            .catch(() => undefined)
        : undefined,
    ]);
    let request = req;
    const certificate = trust.tls_client_certificate;
    if (certificate && new URL(req.url).protocol === 'https:') {
      if (!credentials?.tls_private_key) {
        return failed(started, 'the client certificate has no private key stored; set it again', 'tls');
      }
      request = {
        ...request,
        tls: {
          cert: certificate.certificate,
          key: credentials.tls_private_key,
          ...(certificate.ca_certificate ? { ca: certificate.ca_certificate } : {}),
        },
      };
    }
    if (!auth) return this.ports.sender.send(request, options);
    const secret = credentials?.oauth_client_secret;
    if (!secret) return failed(started, 'no OAuth2 client secret is stored; set auth again', 'auth_token');

    const first = cached ?? (await this.newToken(trust, auth, secret, 'first', options.signal));
    if ('error' in first) return this.tokenFailure(started, first);
    const result = await this.ports.sender.send(withBearer(request, first), options);
    // A token the endpoint no longer takes (revoked, rotated): one new one, and one more try.
    if (result.status_code !== 401 || performance.now() - started >= (this.ports.retryWithinMs ?? Infinity)) {
      return this.elapsed(started, result);
    }
    const renewed = await this.newToken(trust, auth, secret, `after:${first.access_token}`, options.signal);
    if ('error' in renewed) return this.tokenFailure(started, renewed);
    return this.elapsed(started, await this.ports.sender.send(withBearer(request, renewed), options));
  }

  /**
   * A token from the token endpoint, cached for every instance, or why none came; joined with a
   * request for the same purpose already in flight here (`first`, or a renewal after a token).
   */
  private async newToken(
    trust: EndpointTrust,
    auth: EndpointAuth,
    secret: string,
    purpose: string,
    signal: AbortSignal | undefined,
  ): Promise<CachedToken | NoToken> {
    const key = `${trust.tenant_id}/${trust.webhook_id}/${auth.credentials_id}/${purpose}`;
    let pending = this.fetching.get(key);
    if (!pending) {
      pending = this.requestAndCache(trust, auth, secret).finally(() => this.fetching.delete(key));
      this.fetching.set(key, pending);
    }
    return untilAbandoned(pending, signal);
  }

  private async requestAndCache(trust: EndpointTrust, auth: EndpointAuth, secret: string) {
    // No caller's signal: others may be waiting for the same token (the token sender's deadline bounds it).
    const answer = await requestToken(this.ports.tokenSender, auth, secret, this.ports.now());
    if (!answer.ok) return answer;
    // Best effort: a token not cached is fetched again next time, nothing worse.
    await this.ports.tokens
      .put(trust.tenant_id, trust.webhook_id, auth.credentials_id, answer.token)
      .catch(() => undefined);
    return answer.token;
  }

  private tokenFailure(started: number, why: NoToken): SendResult {
    if (why.abandoned) {
      return {
        ok: false,
        duration_ms: Math.round(performance.now() - started),
        error_kind: 'other',
        error: 'abandoned before an answer came',
        abandoned: true,
      };
    }
    return failed(started, why.error, 'auth_token');
  }

  /** The attempt's time includes getting its token. */
  private elapsed(started: number, result: SendResult): SendResult {
    return { ...result, duration_ms: Math.max(result.duration_ms, Math.round(performance.now() - started)) };
  }
}

/** The longest a token endpoint may take: an attempt may need two tokens and two sends. */
const TOKEN_TIMEOUT_MS = 5_000;

/**
 * The sender every function that calls endpoints uses: Node's HTTP client behind the destination
 * guard, for endpoints and (with a shorter deadline) token endpoints alike, authenticating as each
 * webhook asks.
 *
 * @example
 * const sender = endpointSender({ guard, timeoutMs: 10_000, httpsOnly: true, credentials, tokens });
 */
export const endpointSender = (
  options: HttpSenderOptions & {
    readonly credentials: Pick<EndpointCredentialStore, 'get'>;
    readonly tokens: TokenCache;
  },
): AuthenticatingSender => {
  const { credentials, tokens, ...http } = options;
  return new AuthenticatingSender({
    sender: new NodeHttpSender(http),
    tokenSender: new NodeHttpSender({ ...http, timeoutMs: Math.min(TOKEN_TIMEOUT_MS, http.timeoutMs) }),
    credentials,
    tokens,
    now: http.now ?? Date.now,
    // Worst case: a token and a request within this, then a token (5 s) and a request again.
    retryWithinMs: http.timeoutMs,
  });
};
