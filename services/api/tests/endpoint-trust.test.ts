import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointCredentials, Webhook } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { trustChangeOf } from '../src/use-cases/endpoint-trust.js';

/* How a create or update body's endpoint authentication is split between the webhook and the credential store. */

const destinations = { allows: () => false };
const stored: EndpointCredentials = { oauth_client_secret: 'stored-secret', tls_private_key: 'stored-key' };
const ports = { destinations, credentials: { get: async () => stored } };

const existing = {
  id: 'wh_1',
  tenant_id: 'acme',
  url: 'https://hooks.example.com/in',
  auth: {
    type: 'oauth2_client_credentials',
    token_url: 'https://svc:pw@auth.example.com/token',
    client_id: 'c1',
    scope: 'a',
    credentials_id: 'v1',
  },
} as Webhook;

const body = (auth: Record<string, unknown>) => ({
  auth: {
    type: 'oauth2_client_credentials' as const,
    token_url: 'https://svc:****@auth.example.com/token',
    client_id: 'c1',
    client_secret: '****',
    scope: 'a',
    ...auth,
  },
});

describe('trustChangeOf', () => {
  it('keeps the stored secret, token URL and token version when the view is sent back unchanged', async () => {
    const change = await trustChangeOf(ports, body({}), existing);
    expect(change.patch.auth).toEqual({ ...existing.auth });
    expect(change.credentials).toEqual(stored);
  });

  it('a new secret or client makes a new token version; the certificate key is kept', async () => {
    const secret = await trustChangeOf(ports, body({ client_secret: 'new-secret' }), existing);
    expect(secret.patch.auth?.credentials_id).not.toBe('v1');
    expect(secret.credentials).toEqual({ oauth_client_secret: 'new-secret', tls_private_key: 'stored-key' });
    const client = await trustChangeOf(ports, body({ client_id: 'c2' }), existing);
    expect(client.patch.auth?.credentials_id).not.toBe('v1');
    expect(client.credentials?.oauth_client_secret).toBe('stored-secret');
  });

  it('null removes the part and its secret only; an absent part changes nothing', async () => {
    const removed = await trustChangeOf(ports, { auth: null }, existing);
    expect(removed.patch).toEqual({ auth: undefined });
    expect(removed.credentials).toEqual({ tls_private_key: 'stored-key' });
    expect(await trustChangeOf(ports, { description: 'x' }, existing)).toEqual({ patch: {} });
  });

  it('refuses a token URL at an address the platform does not call', async () => {
    await expect(
      trustChangeOf(ports, body({ token_url: 'http://10.0.0.1/token', client_secret: 's' }), existing),
    ).rejects.toMatchObject({ kind: 'invalid', details: [{ field: 'auth.token_url' }] });
  });
});

/** A self-signed certificate valid for a day, and its key, made with the machine's openssl. */
const selfSigned = (): { certificate: string; private_key: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-cert-'));
  try {
    const args =
      '-x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem -out cert.pem -days 1';
    execFileSync('openssl', ['req', ...args.split(' '), '-subj', '/CN=one-day'], { cwd: dir, stdio: 'pipe' });
    return {
      certificate: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      private_key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('trustChangeOf with a client certificate', () => {
  const pair = selfSigned();
  const at = (ms: number) => ({ ...ports, clock: { now: () => ms } });

  it('takes a certificate that is still valid, and refuses one that has expired, saying when it did', async () => {
    const valid = await trustChangeOf(at(Date.now()), { tls_client_certificate: pair }, existing);
    expect(valid.patch.tls_client_certificate).toMatchObject({ subject: 'CN=one-day' });
    const notAfter = valid.patch.tls_client_certificate?.not_after ?? '';
    await expect(
      trustChangeOf(at(Date.parse(notAfter) + 1_000), { tls_client_certificate: pair }, existing),
    ).rejects.toMatchObject({
      kind: 'invalid',
      details: [{ field: 'tls_client_certificate.certificate', message: expect.stringContaining(notAfter) }],
    });
  });
});
