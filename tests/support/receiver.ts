import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
  /** The request's path (and query). */
  readonly path?: string;
  /** On an https receiver that asks for one: the client certificate presented (subject CN, fingerprint). */
  readonly clientCertificate?: { readonly cn: string; readonly fingerprint256: string };
  /** For a request left hanging: when the sender gave up on it and closed the connection. */
  abandonedAt?: number;
}

/** An https receiver: its certificate and key, and the CA its clients' certificates must chain to. */
export interface ReceiverTls {
  readonly cert: string;
  readonly key: string;
  /** Asks for a client certificate signed by this CA and refuses the handshake without one (mutual TLS). */
  readonly clientCa: string;
}

const clientCertificateOf = (req: IncomingMessage): ReceivedRequest['clientCertificate'] => {
  const socket = req.socket as Partial<TLSSocket>;
  const peer = socket.getPeerCertificate?.();
  if (!peer?.fingerprint256) return undefined;
  const cn = peer.subject?.CN;
  return { cn: Array.isArray(cn) ? String(cn[0]) : String(cn ?? ''), fingerprint256: peer.fingerprint256 };
};

export interface TestReceiver {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

export type Responder = (
  req: ReceivedRequest,
  n: number,
) => { status: number; body?: string; headers?: Record<string, string>; delayMs?: number } | 'hang' | 'reset';

/**
 * A real HTTP receiver on loopback whose answers a test scripts per request; with `tls`, an https
 * one that demands a client certificate (mutual TLS) and records the one it got.
 */
export const startReceiver = async (
  respond: Responder = () => ({ status: 200 }),
  options: { readonly tls?: ReceiverTls } = {},
): Promise<TestReceiver> => {
  const requests: ReceivedRequest[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const certificate = options.tls ? clientCertificateOf(req) : undefined;
      const received: ReceivedRequest = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        path: req.url ?? '',
        ...(certificate ? { clientCertificate: certificate } : {}),
      };
      requests.push(received);
      const answer = respond(received, requests.length);
      if (answer === 'hang') {
        res.on('close', () => {
          received.abandonedAt = Date.now();
        });
        return;
      }
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      const reply = () => {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
        res.end(answer.body ?? '{"ok":true}');
      };
      if (answer.delayMs) setTimeout(reply, answer.delayMs);
      else reply();
    });
  };
  const tls = options.tls;
  const server: Server = tls
    ? (createHttpsServer(
        { cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: true, rejectUnauthorized: true },
        handle,
      ) as unknown as Server)
    : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Receivers a test file starts as it goes, closed together at its end. */
export interface ReceiverPool {
  start(respond?: Responder): Promise<TestReceiver>;
  closeAll(): Promise<void>;
}

export const receiverPool = (): ReceiverPool => {
  const started: TestReceiver[] = [];
  return {
    start: async (respond) => {
      const receiver = await startReceiver(respond);
      started.push(receiver);
      return receiver;
    },
    closeAll: async () => {
      await Promise.all(started.splice(0).map((r) => r.close()));
    },
  };
};
