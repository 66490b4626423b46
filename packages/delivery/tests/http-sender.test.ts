import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DestinationGuard, NodeHttpSender, parseAllowlist, RESPONSE_CHARS } from '../src/index.js';

/* The sender against a real HTTP server on loopback, one path per behaviour. */
describe('NodeHttpSender', () => {
  let server: Server;
  let base: string;
  const seen: { path: string; headers: Record<string, unknown>; body: string }[] = [];
  const sender = new NodeHttpSender({
    guard: new DestinationGuard(parseAllowlist('127.0.0.0/8')),
    timeoutMs: 500,
    httpsOnly: false,
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, body });
        if (req.url === '/big') {
          res.writeHead(200);
          res.end('x'.repeat(200_000));
        } else if (req.url === '/slow-body') {
          res.writeHead(200);
          res.write('partial');
        } else if (req.url === '/moved') {
          res.writeHead(301, { location: '/elsewhere' });
          res.end();
        } else if (req.url === '/busy') {
          res.writeHead(429, { 'retry-after': '7' });
          res.end('slow down');
        } else {
          res.writeHead(204);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await sender.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (path: string) =>
    sender.send({ url: `${base}${path}`, body: '{"a":1}', headers: { 'webhook-id': 'msg_1' } });

  it('POSTs the body as JSON with the given headers and a content length', async () => {
    const result = await post('/ok');
    expect(result).toMatchObject({ ok: true, status_code: 204 });
    const last = seen.at(-1);
    expect(last?.body).toBe('{"a":1}');
    expect(last?.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': '7',
      'webhook-id': 'msg_1',
    });
  });

  it('keeps only the first 1,000 characters of a large answer', async () => {
    const result = await post('/big');
    expect(result.ok).toBe(true);
    expect(result.response).toHaveLength(RESPONSE_CHARS);
  });

  it('counts a body that never finishes as a timeout', async () => {
    const result = await post('/slow-body');
    expect(result).toMatchObject({ ok: false, error_kind: 'timeout' });
    expect(result.duration_ms).toBeGreaterThanOrEqual(450);
  });

  it('does not follow a redirect', async () => {
    const before = seen.length;
    const result = await post('/moved');
    expect(result).toMatchObject({ ok: false, status_code: 301, error_kind: 'redirect' });
    expect(seen.length).toBe(before + 1);
  });

  it('reads Retry-After on a 429', async () => {
    const result = await post('/busy');
    expect(result).toMatchObject({
      ok: false,
      status_code: 429,
      retry_after_ms: 7000,
      response: 'slow down',
    });
  });

  it('refuses a refused address before dialling, and a scheme it does not speak', async () => {
    const strict = new NodeHttpSender({
      guard: new DestinationGuard(parseAllowlist('')),
      timeoutMs: 500,
      httpsOnly: true,
    });
    const before = seen.length;
    expect(await strict.send({ url: `${base}/ok`, body: '{}', headers: {} })).toMatchObject({
      ok: false,
      error_kind: 'blocked',
    });
    expect(await strict.send({ url: 'ftp://example.com/', body: '{}', headers: {} })).toMatchObject({
      error_kind: 'blocked',
    });
    expect(seen.length).toBe(before);
    await strict.close();
  });
});
