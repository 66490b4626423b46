import type { FrontDoor } from '@hookrelay/local';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Client, client, startTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * The portal page and its files as the API serves them (the portal's build must exist), behind
 * one front door: a test file per door, since the API's module state (its stores) belongs to the
 * one platform a file starts.
 */
export const describePortalPage = (apiGateway: FrontDoor) =>
  describe(`the portal page behind the ${apiGateway} front door`, () => {
    let platform: TestPlatform;
    let tenant: Client;

    beforeAll(async () => {
      platform = await startTestPlatform({ startWorker: false, apiGateway });
      const admin = client(platform.apiUrl, platform.adminKey);
      tenant = client(
        platform.apiUrl,
        (await admin.request('POST', '/v1/tenants', { tenant_id: `portal-page-${apiGateway}` })).body.api_key,
      );
    });
    afterAll(async () => platform?.stop());

    const page = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${platform.apiUrl}${path}`, { headers: { 'accept-encoding': 'identity', ...headers } });

    it('answers the page at /portal and at any deep link, with its base and a strict policy', async () => {
      for (const path of ['/portal', '/portal/', '/portal/deliveries/evt_01JD6Z9M3QH4T2W7X9RZ5K8B1C']) {
        const reply = await page(path);
        expect([path, reply.status]).toEqual([path, 200]);
        expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
        expect(reply.headers.get('cache-control')).toBe('no-store');
        const csp = reply.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        const html = await reply.text();
        expect(html).toContain('<base href="/portal/">');
        expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
      }
    });

    it('lets the origins a live session names frame it, and no one once the session ends', async () => {
      const session = await tenant.request('POST', '/v1/portal/sessions', {
        frame_origins: ['https://app.acme.example', 'http://localhost:5173'],
      });
      const framed = await page(`/portal?session=${session.body.session_id}`);
      expect(framed.headers.get('content-security-policy')).toContain(
        'frame-ancestors https://app.acme.example http://localhost:5173',
      );
      await tenant.request('DELETE', `/v1/portal/sessions/${session.body.session_id}`);
      const ended = await page(`/portal?session=${session.body.session_id}`);
      expect(ended.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      const unknown = await page('/portal?session=ps_01JD6Z9M3QH4T2W7X9RZ5K8B1C');
      expect(unknown.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    });

    it('serves every script and style the page loads, cached for good, and nothing outside the build', async () => {
      const html = await (await page('/portal')).text();
      const assets = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) {
        const reply = await page(`/portal/${asset}`);
        expect([asset, reply.status]).toEqual([asset, 200]);
        expect(reply.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(reply.headers.get('content-type')).toMatch(/^text\/(javascript|css)/);
      }
      for (const path of [
        '/portal/assets/nothing.js',
        '/portal/assets/..%2F..%2Fpackage.json',
        '/portal/assets/.vite/manifest.json',
      ]) {
        const reply = await page(path);
        expect([path, reply.status]).toEqual([path, 404]);
      }
    });

    it('sends the page gzipped to a browser that takes it', async () => {
      const reply = await fetch(`${platform.apiUrl}/portal`, { headers: { 'accept-encoding': 'gzip' } });
      const body = Buffer.from(await reply.arrayBuffer());
      // fetch undoes the encoding itself; what matters is that the bytes are the page.
      expect(body.toString('utf8')).toContain('<base href="/portal/">');
      // Behind an HTTP API the API gzips it; the REST API compresses by itself on AWS, which the
      // local REST door does not do.
      expect(reply.headers.get('content-encoding')).toBe(apiGateway === 'http' ? 'gzip' : null);
    });
  });
