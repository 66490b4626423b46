import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { makeTestCa, type TestCa } from '../support/certificates.js';
import { type Client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  createTenant,
  ensurePortalBuilt,
  expectAccessible,
  openPortalSession,
  see,
} from '../support/portal.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';
import { startTokenServer, type TokenServer } from '../support/token-server.js';

/** A person setting how deliveries authenticate to their endpoint, in the portal's endpoint form. */
describe('portal: endpoint authentication', () => {
  const CLIENT = { id: 'portal-client', secret: 'portal-secret-0f9e8d7c6b5a' };
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let api: Client;
  let tokens: TokenServer;
  let endpoint: TestReceiver;
  let ca: TestCa;
  let endpointUrl: string;

  beforeAll(async () => {
    ensurePortalBuilt();
    ca = makeTestCa();
    [platform, browser, tokens] = await Promise.all([
      startTestPlatform(),
      launchBrowser(),
      startTokenServer(CLIENT),
    ]);
    endpoint = await startReceiver((request) =>
      tokens.accepts(request) ? { status: 200 } : { status: 401 },
    );
    const tenant = await createTenant(platform.apiUrl, platform.adminKey, 'portal-auth');
    api = tenant.api;
    endpointUrl = `${endpoint.url}/secured`;
    await api.request('POST', '/v1/webhooks', { url: endpointUrl, description: 'Secured' });
    const link = await openPortalSession(platform.apiUrl, tenant.key);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(link.url);
    await see(page.getByRole('heading', { name: 'Overview', level: 1 }));
  }, 60_000);

  afterAll(async () => {
    ca?.remove();
    await browser?.close();
    await Promise.all([tokens?.close(), endpoint?.close()]);
    await platform?.stop();
  });

  const openEndpoint = async () => {
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Endpoints' }).click();
    await page.getByRole('link', { name: endpointUrl }).click();
    await see(page.getByRole('heading', { name: endpointUrl, level: 1 }));
  };

  it('sets OAuth2 client credentials; the test event then carries a token, and the secret is never shown', async () => {
    await openEndpoint();
    await see(page.getByTestId('authentication').getByText('signatures only'));
    await page.getByRole('button', { name: 'Send test event' }).click();
    await see(page.getByRole('status').getByText('HTTP 401'));

    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('OAuth2 client credentials').check();
    await page.getByLabel('Token URL').fill(tokens.url);
    await page.getByLabel('Client id').fill(CLIENT.id);
    await page.getByLabel('Client secret').fill(CLIENT.secret);
    await page.getByLabel('Scope').fill('webhooks.write');
    await expectAccessible(page, 'endpoint form with OAuth2');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await see(page.getByRole('heading', { name: endpointUrl, level: 1 }));
    const shown = page.getByTestId('authentication');
    await see(shown.getByText(CLIENT.id));
    await see(shown.getByText('****'));
    expect(await page.content()).not.toContain(CLIENT.secret);
    await page.getByRole('button', { name: 'Send test event' }).click();
    await see(page.getByRole('status').getByText('HTTP 200'));
    expect(tokens.requests).toHaveLength(1);

    // Editing something else keeps the stored secret: the masked value goes back as it is.
    await page.getByRole('link', { name: 'Edit' }).click();
    await expect(page.getByLabel('Client secret').inputValue()).resolves.toBe('****');
    await page.getByLabel('Description').fill('Secured with OAuth2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await see(page.getByText('Secured with OAuth2'));
    const { webhooks } = (await api.request('GET', '/v1/webhooks')).body;
    expect(webhooks[0].auth).toMatchObject({
      client_id: CLIENT.id,
      scope: 'webhooks.write',
      client_secret: '****',
    });
    await page.getByRole('button', { name: 'Send test event' }).click();
    await see(page.getByRole('status').getByText('HTTP 200'));
  });

  it('adds a client certificate, shown by its subject and expiry, flagged when it nears its end', async () => {
    const soon = ca.client('portal-client', 10);
    await openEndpoint();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Mutual TLS').check();
    await page.getByLabel('Client certificate (PEM)').fill(soon.cert);
    await page.getByLabel('Private key (PEM)').fill(soon.key);
    await expectAccessible(page, 'endpoint form with mutual TLS');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await see(page.getByRole('heading', { name: endpointUrl, level: 1 }));
    const shown = page.getByTestId('authentication');
    await see(shown.getByText('CN=portal-client, O=Hookrelay Tests'));
    await see(shown.getByText('Expiring soon'));
    await expectAccessible(page, 'endpoint with OAuth2 and a client certificate');
    const html = await page.content();
    expect(html).not.toContain('PRIVATE KEY');

    // Turned off in the form: the API no longer holds it.
    await page.getByRole('link', { name: 'Edit' }).click();
    await see(page.getByTestId('client-certificate'));
    await page.getByLabel('Mutual TLS').uncheck();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await see(page.getByRole('heading', { name: endpointUrl, level: 1 }));
    const { webhooks } = (await api.request('GET', '/v1/webhooks')).body;
    expect(webhooks[0].tls_client_certificate).toBeUndefined();
    expect(webhooks[0].auth.client_id).toBe(CLIENT.id);
  });
});
