import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { type Client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  createTenant,
  ensurePortalBuilt,
  expectAccessible,
  openPortalSession,
  screenshot,
  see,
} from '../support/portal.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

/** A person managing their endpoints and deliveries in the portal, step by step. */
describe('portal: endpoints and deliveries', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let api: Client;
  let orders: TestReceiver;
  let billing: TestReceiver;
  let billingUp = false;
  /** Echoes its ownership challenges only once this is true; takes events with 200. */
  let guarded: TestReceiver;
  let guardedAnswers = false;
  let billingId: string;
  let sessionId: string;

  const nav = (name: string) => page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name });

  beforeAll(async () => {
    ensurePortalBuilt();
    [platform, browser, orders, billing, guarded] = await Promise.all([
      startTestPlatform({ retrySchedule: '0,200ms', deliveryTimeoutMs: 2_000 }),
      launchBrowser(),
      startReceiver(),
      startReceiver(() => (billingUp ? { status: 200 } : { status: 500, body: 'billing is down' })),
      startReceiver((request) => {
        const { type, data } = JSON.parse(request.body) as { type: string; data: { challenge?: string } };
        return type === 'hookrelay.endpoint.verification' && guardedAnswers
          ? { status: 200, body: JSON.stringify({ challenge: data.challenge }) }
          : { status: 200, body: 'ok' };
      }),
    ]);
    const tenant = await createTenant(platform.apiUrl, platform.adminKey, 'portal-shop');
    api = tenant.api;
    const billingHook = await api.request('POST', '/v1/webhooks', {
      url: `${billing.url}/billing`,
      description: 'Billing',
      events: ['invoice.*'],
    });
    billingId = billingHook.body.webhook.id;
    const link = await openPortalSession(platform.apiUrl, tenant.key, { theme: { name: 'Shop' } });
    sessionId = link.sessionId;
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(link.url);
    await see(page.getByRole('heading', { name: 'Overview', level: 1 }));
    // The token leaves the address bar at once; the session id stays for reloads.
    expect(page.url()).not.toContain('token');
    expect(new URL(page.url()).searchParams.get('session')).toBe(link.sessionId);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([orders?.close(), billing?.close(), guarded?.close()]);
    await platform?.stop();
  });

  it('creates an endpoint for the order events, its secret shown once', async () => {
    await nav('Endpoints').click();
    await page.getByRole('link', { name: 'New endpoint' }).click();
    await page.getByLabel('Endpoint URL').fill(`${orders.url}/orders`);
    await page.getByLabel('Description').fill('Orders service');
    await page.getByLabel('Only the types chosen below').check();
    await page.getByLabel('Another type or pattern').fill('order.*');
    await page.getByRole('button', { name: 'Add type' }).click();
    await expect(page.getByRole('checkbox', { name: 'order.*' }).isChecked()).resolves.toBe(true);
    await page.getByLabel('hookrelay.endpoint.disabled').check();
    await expectAccessible(page, 'new endpoint');
    await page.getByRole('button', { name: 'Create endpoint' }).click();

    const secret = await see(page.getByTestId('secret'));
    expect(await secret.textContent()).toMatch(/^whsec_/);
    await page.getByRole('link', { name: 'Go to the endpoint' }).click();
    await see(page.getByRole('heading', { name: `${orders.url}/orders`, level: 1 }));
    await see(page.getByText('Nothing delivered here yet'));

    const { body } = await api.request('GET', '/v1/webhooks');
    const created = body.webhooks.find((w: { url: string }) => w.url === `${orders.url}/orders`);
    expect(created).toMatchObject({
      description: 'Orders service',
      events: ['order.*', 'hookrelay.endpoint.disabled'],
    });
  });

  it('shows an event sent through the API arrive, with its attempt', async () => {
    const sent = await api.request('POST', '/v1/events', {
      type: 'order.created',
      data: { order_id: 'o_1' },
    });
    await nav('Deliveries').click();
    await page.getByRole('link', { name: sent.body.event_id }).click();
    await see(page.getByRole('heading', { name: sent.body.event_id, level: 1 }));
    const delivery = page.getByRole('region', { name: `Attempts to ${orders.url}/orders` });
    await see(delivery.getByRole('cell', { name: '200', exact: true }));
    await see(page.getByText('DELIVERED').first());
    await see(page.getByText('"order_id": "o_1"'));
    expect(orders.requests).toHaveLength(1);
    await expectAccessible(page, 'event');
    await screenshot(page, 'event');
  });

  it('finds a failed event by its status, shows why its attempts failed, and retries it', async () => {
    const sent = await api.request('POST', '/v1/events', { type: 'invoice.paid', data: { invoice: 'in_1' } });
    await eventually(async () => {
      const got = await api.request('GET', `/v1/events/${sent.body.event_id}`);
      return got.body.status === 'FAILED' ? true : undefined;
    });
    // The overview names the endpoint failing now.
    await nav('Overview').click();
    const failing = page.getByRole('region', { name: 'Failing endpoints' });
    await see(failing.getByRole('link', { name: `${billing.url}/billing` }));
    await see(failing.getByText('Failing', { exact: true }));

    await nav('Deliveries').click();
    // The orders endpoint got none of the invoices: filtered by it, the failed invoice is not there.
    await page
      .getByRole('combobox', { name: 'Endpoint', exact: true })
      .selectOption({ label: `${orders.url}/orders` });
    await page.getByLabel('Status').selectOption('FAILED');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await see(page.getByText('Nothing matches these filters'));
    await page
      .getByRole('combobox', { name: 'Endpoint', exact: true })
      .selectOption({ label: `${billing.url}/billing` });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    expect(new URL(page.url()).searchParams.get('status')).toBe('FAILED');
    await expectAccessible(page, 'deliveries');
    await screenshot(page, 'deliveries');
    await page.getByRole('link', { name: sent.body.event_id }).click();

    const attempts = page.getByRole('region', { name: `Attempts to ${billing.url}/billing` });
    await see(attempts.getByRole('cell', { name: '500', exact: true }));
    expect(await attempts.getByRole('row').count()).toBe(3); // header and two attempts
    await see(attempts.getByText('billing is down'));

    billingUp = true;
    await page.getByRole('button', { name: 'Retry failed deliveries' }).click();
    await see(page.getByText('1 delivery retrying.'));
    await see(attempts.getByRole('cell', { name: '200', exact: true }));
    await see(page.getByText('DELIVERED').first());

    const before = billing.requests.length;
    await page.getByRole('button', { name: 'Resend' }).click();
    await see(page.getByText(/Attempt \d+ queued for now/));
    await eventually(async () => (billing.requests.length > before ? true : undefined));
    await see(attempts.getByRole('row').nth(4));
  });

  it('tests the endpoint, rotates its secret and recovers its failures', async () => {
    await page.goto(`${platform.apiUrl}/portal/endpoints/${billingId}?session=${sessionId}`);
    await see(page.getByRole('heading', { name: `${billing.url}/billing`, level: 1 }));
    await page.getByRole('button', { name: 'Send test event' }).click();
    await see(page.getByText(/HTTP 200 in \d+ ms/));

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    const secret = await see(page.getByTestId('secret'));
    expect(await secret.textContent()).toMatch(/^whsec_/);
    await see(page.getByText(/The previous secret keeps signing until/));

    billingUp = false;
    const sent = await api.request('POST', '/v1/events', { type: 'invoice.voided', data: {} });
    await eventually(async () => {
      const got = await api.request('GET', `/v1/events/${sent.body.event_id}`);
      return got.body.status === 'FAILED' ? true : undefined;
    });
    billingUp = true;
    await page.getByRole('button', { name: 'Recover failures' }).click();
    await see(page.getByText('1 failed delivery requeued.'));
    await eventually(async () => {
      const got = await api.request('GET', `/v1/events/${sent.body.event_id}`);
      return got.body.status === 'DELIVERED' ? true : undefined;
    });
    await expectAccessible(page, 'endpoint');
    await screenshot(page, 'endpoint');
  });

  it('sums it up on the overview and lists the types in the catalog', async () => {
    await nav('Overview').click();
    // Attempts were made in the period: the rate is a percentage (a dash means none yet).
    const rate = page.locator('.figure', { hasText: 'Success rate' }).locator('.figure-value');
    await see(rate.filter({ hasText: /^\d+(\.\d)?%$/ }));
    for (const chart of ['Success rate of attempts', 'Deliveries over time', 'Attempt latency (ms)']) {
      await see(page.getByRole('figure', { name: chart }).locator('svg.recharts-surface'));
    }
    await expectAccessible(page, 'overview');
    await screenshot(page, 'overview');
    await page.getByText('The figures as a table').click();
    await see(page.getByRole('region', { name: 'Figures over time' }).getByRole('row').nth(1));

    await nav('Event catalog').click();
    for (const type of ['order.created', 'invoice.paid', 'invoice.voided']) {
      await see(page.getByRole('heading', { name: type }));
    }
    await see(
      page.getByRole('region', { name: 'Example payload of order.created' }).getByText('"order_id": "o_1"'),
    );
    await expectAccessible(page, 'catalog');
    await screenshot(page, 'catalog');
  });
  it('narrows an endpoint to large orders with a payload filter, told what is wrong on the way', async () => {
    await nav('Endpoints').click();
    await page.getByRole('link', { name: `${orders.url}/orders` }).click();
    await see(page.getByText('none: every event of these types'));
    await page.getByRole('link', { name: 'Edit' }).click();
    const filter = page.getByLabel('Payload filter');

    // Not JSON yet: said as it is typed, and saving sends nothing.
    await filter.fill('{"data": {"total": [{"numeric": [">", 100]}]}');
    await see(page.getByRole('alert').filter({ hasText: 'Not JSON' }));
    await page.getByRole('button', { name: 'Save changes' }).click();
    await see(page.getByRole('heading', { name: 'Edit endpoint', level: 1 }));

    // JSON, but the API finds the field outside data: its 400 names where.
    await filter.fill('{"total": [{"numeric": [">", 100]}]}');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const refusal = await see(page.getByRole('alert').filter({ hasText: 'The API refused this' }));
    await see(refusal.getByText('filter.total'));
    await see(refusal.getByText(/is not a field of the event/));
    await expectAccessible(page, 'endpoint form with a refused filter');

    await filter.fill('{"data": {"total": [{"numeric": [">", 100]}]}}');
    await page.getByRole('button', { name: 'Save changes' }).click();
    // Back on the endpoint's page, which shows the filter the API now holds.
    await see(page.getByRole('heading', { name: `${orders.url}/orders`, level: 1 }));
    await see(page.locator('pre', { hasText: '"numeric": [' }));
    const saved = await eventually(async () => {
      const { webhooks } = (await api.request('GET', '/v1/webhooks')).body;
      const hook = webhooks.find((w: { url: string }) => w.url === `${orders.url}/orders`);
      return hook?.filter ? hook.filter : undefined;
    });
    expect(saved).toEqual({ data: { total: [{ numeric: ['>', 100] }] } });
    const before = orders.requests.length;
    const small = await api.request('POST', '/v1/events', { type: 'order.created', data: { total: 20 } });
    const large = await api.request('POST', '/v1/events', { type: 'order.created', data: { total: 250 } });
    expect([small.body.delivery_count, large.body.delivery_count]).toEqual([0, 1]);
    await eventually(async () => (orders.requests.length > before ? true : undefined));
    expect(orders.requests.slice(before).map((r) => JSON.parse(r.body).id)).toEqual([large.body.event_id]);
  });

  it('asks a new endpoint to prove it owns its URL, and verifies it when it answers', async () => {
    await nav('Endpoints').click();
    await page.getByRole('link', { name: 'New endpoint' }).click();
    await page.getByLabel('Endpoint URL').fill(`${guarded.url}/guarded`);
    await page.getByLabel('Require an ownership challenge').check();
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await see(page.getByText('The endpoint did not answer its ownership challenge'));
    await page.getByRole('link', { name: 'Go to the endpoint' }).click();
    await see(page.getByRole('heading', { name: `${guarded.url}/guarded`, level: 1 }));
    const ownership = page.getByTestId('verification');
    await see(ownership.getByText('Unverified'));

    guardedAnswers = true;
    await page.getByRole('button', { name: 'Verify now' }).click();
    await see(page.getByText(/HTTP 200 in \d+ ms: the endpoint is verified and gets deliveries/));
    await see(ownership.getByText('Verified', { exact: true }));
    await expectAccessible(page, 'verified endpoint');
    const { body } = await api.request('GET', '/v1/webhooks');
    expect(body.webhooks.find((w: { url: string }) => w.url === `${guarded.url}/guarded`)).toMatchObject({
      verification: 'challenge',
      verification_status: 'verified',
    });
    expect(guarded.requests.map((r) => JSON.parse(r.body).type)).toEqual([
      'hookrelay.endpoint.verification',
      'hookrelay.endpoint.verification',
    ]);
  });

  it('edits every option of an endpoint, pauses it, and deletes it after asking', async () => {
    await nav('Endpoints').click();
    await page.getByRole('link', { name: `${billing.url}/billing` }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await see(page.getByRole('heading', { name: 'Edit endpoint', level: 1 }));
    await page.getByRole('button', { name: 'Add header' }).click();
    await page.getByLabel('Header 1 name').fill('X-Team');
    await page.getByLabel('Header 1 value').fill('core-billing-team');
    await page.getByLabel('Rate limit (deliveries per second)').fill('5');
    await page.getByLabel('Ordering').selectOption('per_key');
    await page.getByLabel('When a delivery exhausts its retries').selectOption('pause');
    await page.getByLabel('Body HMAC (X-Hookrelay-Signature, hex)').check();
    await page.getByLabel('Ed25519 (webhook-signature v1a, verified with a public key)').check();
    await page.getByRole('button', { name: 'Save changes' }).click();

    await see(page.getByText('5 deliveries per second'));
    await see(page.getByText('Per key; an exhausted delivery pauses its key'));
    await see(page.getByText(/X-Team/));
    const stored = await api.request('GET', `/v1/webhooks/${billingId}`);
    expect(stored.body.webhook).toMatchObject({
      rate_limit: 5,
      signature_schemes: ['standard', 'stripe', 'body-hmac', 'ed25519'],
      events: ['invoice.*'],
      ordering: 'per_key',
      on_exhausted: 'pause',
    });
    // The public key that verifies its v1a signatures is on the endpoint's page.
    await see(page.getByTestId('public-keys').getByText(stored.body.webhook.public_keys[0]));
    expect(stored.body.webhook.headers['X-Team']).toMatch(/^\*\*\*\*/);

    // Saving again with the masked value keeps the stored one.
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Description').fill('Billing, v2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await see(page.getByText('Billing, v2'));
    const before = billing.requests.length;
    await api.request('POST', '/v1/events', { type: 'invoice.sent', data: {} });
    await eventually(async () => (billing.requests.length > before ? true : undefined));
    expect(billing.requests.at(-1)?.headers['x-team']).toBe('core-billing-team');

    await page.getByRole('button', { name: 'Disable' }).click();
    await see(page.getByText('Paused').first());
    await page.getByRole('button', { name: 'Enable' }).click();
    await see(page.getByText('Active').first());

    await page.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete this endpoint?' })
      .getByRole('button', { name: 'Delete endpoint' })
      .click();
    await see(page.getByRole('heading', { name: 'Endpoints', level: 1 }));
    await see(page.getByRole('link', { name: `${orders.url}/orders` }));
    expect(await page.getByRole('link', { name: `${billing.url}/billing` }).count()).toBe(0);
    expect((await api.request('GET', `/v1/webhooks/${billingId}`)).status).toBe(404);
    await expectAccessible(page, 'endpoints');
    await screenshot(page, 'endpoints');
  });
});
