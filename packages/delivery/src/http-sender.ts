import { createHash } from 'node:crypto';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { ClientCertificate, EndpointAuth, ErrorKind } from '@hookrelay/domain';
import type { DestinationGuard } from './destination-guard.js';

export interface SendRequest {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Presented on an https request: a client certificate (PEM) and its key, for mutual TLS. */
  readonly tls?: ClientTls;
  /** The webhook whose endpoint this goes to, when it authenticates beyond the signatures. */
  readonly endpoint?: EndpointTrust;
}

interface ClientTls {
  readonly cert: string;
  readonly key: string;
  /** A CA trusted for the server's certificate besides the public roots. */
  readonly ca?: string;
}

/** What an authenticating sender needs to know of the webhook a request goes to. */
export interface EndpointTrust {
  readonly tenant_id: string;
  readonly webhook_id: string;
  readonly auth?: EndpointAuth;
  readonly tls_client_certificate?: ClientCertificate;
}

export interface SendResult {
  readonly ok: boolean;
  readonly status_code?: number;
  readonly duration_ms: number;
  readonly error_kind?: ErrorKind;
  readonly error?: string;
  /** The first 1,000 characters of the response body. */
  readonly response?: string;
  /** The response's headers, when an answer came (names in lowercase). */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
  readonly retry_after_ms?: number;
  /** The caller gave up on the request (its signal fired) before an answer came. */
  readonly abandoned?: true;
  /** The whole answer read (at most 64 KB), when `readBody` asked for it. */
  readonly body?: string;
}

export interface SendOptions {
  /** Abandons the request: the connection is closed and the result says `abandoned`. */
  readonly signal?: AbortSignal;
  /** Keep the whole answer read (`body`), not only its first 1,000 characters. */
  readonly readBody?: boolean;
}

export interface HttpSender {
  send(req: SendRequest, options?: SendOptions): Promise<SendResult>;
}

export interface HttpSenderOptions {
  readonly guard: DestinationGuard;
  readonly timeoutMs: number;
  readonly httpsOnly: boolean;
  readonly userAgent?: string;
  readonly now?: () => number;
}

export const RESPONSE_CHARS = 1000;
/** Client-certificate TLS contexts kept per sender (each costs a parse, ~30 ms with a CA beside the roots). */
const TLS_CONTEXTS_MAX = 256;
const READ_LIMIT_BYTES = 64 * 1024;

class BlockedDestinationError extends Error {
  readonly code = 'EBLOCKED';
}

class DeadlineError extends Error {
  readonly code = 'ETIMEDOUT';
}

class AbandonedError extends Error {
  readonly code = 'EABANDONED';
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A DNS lookup that refuses addresses the guard does not allow. It runs at connect time,
 * on the addresses actually dialled, so a name that re-resolves to a private address
 * (DNS rebinding) is refused too.
 */
const guardedLookup =
  (guard: DestinationGuard) =>
  (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const allowed = list.filter((a) => guard.allows(a.address));
      if (allowed.length === 0) {
        return callback(new BlockedDestinationError(`${hostname} resolves only to refused addresses`), []);
      }
      if (options.all) return callback(null, allowed);
      const first = allowed[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };

const errorCodes = (error: unknown): string[] => {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.name === 'string') codes.push(e.name);
    if (Array.isArray(e.errors)) for (const inner of e.errors) codes.push(...errorCodes(inner));
    current = e.cause;
  }
  return codes;
};

const classifyError = (error: unknown): ErrorKind => {
  const codes = errorCodes(error);
  const has = (...names: string[]) => names.some((n) => codes.includes(n));
  if (has('EBLOCKED')) return 'blocked';
  if (has('TimeoutError', 'AbortError', 'ETIMEDOUT')) return 'timeout';
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) return 'dns';
  if (has('ECONNREFUSED')) return 'refused';
  if (has('ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE')) return 'reset';
  if (
    codes.some(
      (c) => c.startsWith('ERR_TLS') || c.startsWith('ERR_SSL') || c.includes('CERT') || c === 'EPROTO',
    )
  ) {
    return 'tls';
  }
  return 'other';
};

/** `Retry-After` as milliseconds, from seconds or an HTTP date. */
const parseRetryAfter = (value: string | string[] | undefined, nowMs: number): number | undefined => {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
};

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly text: string;
}

/**
 * POSTs a signed delivery with Node's own HTTP client: no redirects followed (it never
 * follows any), one deadline for the whole exchange, destinations checked after DNS at
 * connect time (the `lookup` every new connection goes through), IP literals checked before
 * dialling. Connections are kept alive per destination.
 */
export class NodeHttpSender implements HttpSender {
  private readonly http = new HttpAgent({ keepAlive: true, keepAliveMsecs: 4_000, maxSockets: 128 });
  private readonly https = new HttpsAgent({ keepAlive: true, keepAliveMsecs: 4_000, maxSockets: 128 });
  private readonly lookup: ReturnType<typeof guardedLookup>;
  private readonly now: () => number;
  private readonly contexts = new Map<string, SecureContext>();

  constructor(private readonly options: HttpSenderOptions) {
    this.now = options.now ?? Date.now;
    this.lookup = guardedLookup(options.guard);
  }

  private refuse(started: number, error: string): SendResult {
    return { ok: false, duration_ms: Math.round(performance.now() - started), error_kind: 'blocked', error };
  }

  async send(req: SendRequest, options: SendOptions = {}): Promise<SendResult> {
    const started = performance.now();
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return this.refuse(started, 'the URL cannot be parsed');
    }
    if (url.protocol !== 'https:' && (this.options.httpsOnly || url.protocol !== 'http:')) {
      return this.refuse(started, `${url.protocol} destinations are not allowed here`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0 && !this.options.guard.allows(host)) {
      return this.refuse(started, `${host} is not an allowed destination`);
    }
    try {
      const res = await this.post(url, req, options.signal);
      const status = res.status;
      const ok = status >= 200 && status < 300;
      const retryAfter =
        status === 429 || status === 503
          ? parseRetryAfter(res.headers['retry-after'], this.now())
          : undefined;
      return {
        ok,
        status_code: status,
        duration_ms: Math.round(performance.now() - started),
        response: res.text.slice(0, RESPONSE_CHARS),
        headers: res.headers,
        ...(options.readBody ? { body: res.text } : {}),
        ...(ok
          ? {}
          : { error_kind: status >= 300 && status < 400 ? 'redirect' : 'http', error: `HTTP ${status}` }),
        ...(retryAfter !== undefined ? { retry_after_ms: retryAfter } : {}),
      };
    } catch (error) {
      if (error instanceof AbandonedError) {
        return {
          ok: false,
          duration_ms: Math.round(performance.now() - started),
          error_kind: 'other',
          error: error.message,
          abandoned: true,
        };
      }
      return {
        ok: false,
        duration_ms: Math.round(performance.now() - started),
        error_kind: classifyError(error),
        error: error instanceof Error ? error.message.slice(0, 200) : 'request failed',
      };
    }
  }

  /** One request and the first 64 KB of its answer, all within the deadline. */
  private post(url: URL, req: SendRequest, signal?: AbortSignal): Promise<RawResponse> {
    const body = Buffer.from(req.body, 'utf8');
    const secure = url.protocol === 'https:';
    return new Promise<RawResponse>((resolve, reject) => {
      const request = (secure ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: secure ? this.https : this.http,
        lookup: this.lookup as never,
        // The context is made once per certificate; cert, key and ca are given too because the
        // agent keeps connections apart by them: one endpoint's connection never serves another.
        ...(secure && req.tls
          ? {
              secureContext: this.contextOf(req.tls),
              cert: req.tls.cert,
              key: req.tls.key,
              ...(req.tls.ca ? { ca: req.tls.ca } : {}),
            }
          : {}),
        headers: {
          'content-type': 'application/json',
          'user-agent': this.options.userAgent ?? 'hookrelay/1.0',
          ...req.headers,
          'content-length': String(body.length),
        },
      });
      let expired: DeadlineError | AbandonedError | undefined;
      const deadline = setTimeout(() => {
        expired = new DeadlineError(`no complete answer within ${this.options.timeoutMs} ms`);
        request.destroy(expired);
      }, this.options.timeoutMs);
      const abandon = () => {
        expired ??= new AbandonedError('abandoned before an answer came');
        request.destroy(expired);
      };
      if (signal?.aborted) abandon();
      else signal?.addEventListener('abort', abandon, { once: true });
      // Whatever a stream reports after the deadline, the deadline is what happened.
      const fail = (error: Error) => {
        clearTimeout(deadline);
        signal?.removeEventListener('abort', abandon);
        reject(expired ?? error);
      };
      request.once('error', fail);
      request.once('response', (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        const finish = () => {
          clearTimeout(deadline);
          signal?.removeEventListener('abort', abandon);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          });
        };
        res.on('data', (chunk: Buffer) => {
          if (bytes < READ_LIMIT_BYTES) chunks.push(chunk.subarray(0, READ_LIMIT_BYTES - bytes));
          bytes += chunk.length;
          // Enough read: what matters is the status; drop the rest of a huge answer.
          if (bytes >= READ_LIMIT_BYTES) {
            res.destroy();
            finish();
          }
        });
        res.once('end', finish);
        res.once('error', fail);
      });
      request.end(body);
    });
  }

  /** The TLS context of a client certificate (and the CA trusted beside the public roots). */
  private contextOf(tls: ClientTls): SecureContext {
    const id = createHash('sha256')
      .update(`${tls.cert}\0${tls.key}\0${tls.ca ?? ''}`)
      .digest('hex');
    const known = this.contexts.get(id);
    if (known) return known;
    const made = createSecureContext({
      cert: tls.cert,
      key: tls.key,
      ...(tls.ca ? { ca: [...rootCertificates, tls.ca] } : {}),
    });
    if (this.contexts.size >= TLS_CONTEXTS_MAX) {
      const oldest = this.contexts.keys().next().value;
      if (oldest !== undefined) this.contexts.delete(oldest);
    }
    this.contexts.set(id, made);
    return made;
  }

  async close(): Promise<void> {
    this.http.destroy();
    this.https.destroy();
  }
}
