import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { signAs } from '../inbound/support/provider-requests.js';
import { launchBrowser } from '../support/browser.js';
import { type Client, startTestPlatform, type TestPlatform } from '../support/platform.js';
import {
  createTenant,
  ensurePortalBuilt,
  expectAccessible,
  openPortalSession,
  screenshot,
  see,
} from '../support/portal.js';

/** A person connecting a provider to the platform through the portal's Inbound page. */
describe('portal: inbound sources', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let api: Client;
  let ingestUrl: string;
  let secret: string;

  beforeAll(async () => {
    ensurePortalBuilt();
    [platform, browser] = await Promise.all([startTestPlatform({ startWorker: false }), launchBrowser()]);
    const tenant = await createTenant(platform.apiUrl, platform.adminKey, 'portal-inbound');
    api = tenant.api;
    const link = await openPortalSession(platform.apiUrl, tenant.key);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(link.url);
    await see(page.getByRole('heading', { name: 'Overview', level: 1 }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('creates a GitHub source and shows the URL to give GitHub and its secret, once', async () => {
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Inbound' }).click();
    await see(page.getByText('No source yet'));
    await page.getByRole('button', { name: 'New source' }).click();
    await page.getByLabel('Name').fill('GitHub pushes');
    await page.getByLabel('Provider').selectOption('github');
    await expectAccessible(page, 'new source');
    await page.getByRole('button', { name: 'Create source' }).click();

    ingestUrl = (await (await see(page.getByTestId('ingest-url'))).textContent()) ?? '';
    expect(ingestUrl).toMatch(/\/in\/[A-Za-z0-9_-]+$/);
    secret = (await page.getByTestId('secret').textContent()) ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(8);
    await see(page.getByRole('link', { name: 'GitHub pushes' }));
    await expectAccessible(page, 'sources');
    await screenshot(page, 'inbound');
  });

  it('shows a request GitHub sends arrive, with its raw body, and replays it', async () => {
    await page.getByRole('link', { name: 'See what it receives' }).click();
    await see(page.getByRole('heading', { name: 'GitHub pushes', level: 1 }));
    await see(page.getByText('Nothing received yet'));

    const push = signAs('github', secret, { body: '{"ref":"refs/heads/main","note":"café"}' });
    const reply = await fetch(ingestUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...push.headers },
      body: push.body,
    });
    expect(reply.status).toBe(202);

    // The list reads again every few seconds: the request appears without a reload.
    const requests = page.getByRole('region', { name: 'Received requests' });
    await see(requests.getByRole('cell', { name: 'push' }));
    await requests.getByRole('link').first().click();
    await see(page.getByText('{"ref":"refs/heads/main","note":"café"}'));
    await see(page.getByRole('region', { name: 'Request headers' }).getByText(/x-github-event/i));
    await expectAccessible(page, 'received request');

    await page.getByRole('button', { name: 'Replay' }).click();
    await see(page.getByRole('status').filter({ hasText: /queued|routed/i }));
  });

  it("rotates the source's secret, the old one still accepted for a while", async () => {
    await page.getByRole('link', { name: 'Source' }).click();
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = (await (await see(page.getByTestId('secret'))).textContent()) ?? '';
    expect(rotated).not.toBe(secret);
    await see(page.getByText(/The previous secret still verifies until/));
    for (const key of [rotated, secret]) {
      const push = signAs('github', key);
      const reply = await fetch(ingestUrl, { method: 'POST', headers: push.headers, body: push.body });
      expect(reply.status).toBe(202);
    }
    const { body } = await api.request('GET', '/v1/sources');
    expect(body.sources).toHaveLength(1);
  });
});
