import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { signAs } from '../inbound/support/provider-requests.js';
import { launchBrowser } from '../support/browser.js';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import {
  createTenant,
  ensurePortalBuilt,
  expectAccessible,
  focused,
  loaded,
  openPortalSession,
  type PortalLink,
  screenshot,
  see,
} from '../support/portal.js';

const LOGO = `data:image/svg+xml;base64,${Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="28" height="28"><circle cx="14" cy="14" r="12" fill="#5b4cdb"/></svg>',
).toString('base64')}`;

/** Who may do what, how the portal looks, and how it reads with assistive technology. */
describe('portal: access, theme and accessibility', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let key: string;
  let api: Client;
  let webhookId: string;
  let eventId: string;
  let sourceId: string;
  let requestId: string;

  const newPage = async (): Promise<Page> =>
    (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();

  const open = async (link: PortalLink, path = ''): Promise<Page> => {
    const page = await newPage();
    const url = new URL(link.url);
    await page.goto(`${url.origin}${url.pathname}${path}${url.search}${url.hash}`);
    return page;
  };

  beforeAll(async () => {
    ensurePortalBuilt();
    [platform, browser] = await Promise.all([startTestPlatform({ startWorker: false }), launchBrowser()]);
    ({ key, api } = await createTenant(platform.apiUrl, platform.adminKey, 'portal-access'));
    const hook = await api.request('POST', '/v1/webhooks', {
      url: 'https://example.com/hooks',
      events: ['order.*'],
      headers: { 'X-Team': 'orders-team' },
    });
    webhookId = hook.body.webhook.id;
    eventId = (await api.request('POST', '/v1/events', { type: 'order.created', data: { order_id: 'o_9' } }))
      .body.event_id;
    const source = await api.request('POST', '/v1/sources', { name: 'GitHub', provider: 'github' });
    sourceId = source.body.source.id;
    const push = signAs('github', source.body.source.secret);
    await fetch(source.body.source.ingest_url, { method: 'POST', headers: push.headers, body: push.body });
    requestId = await eventually(async () => {
      const got = await api.request('GET', `/v1/sources/${sourceId}/requests`);
      return got.body.requests[0]?.id;
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('a link without its key, or one that ended, says so and what to do', async () => {
    const bare = await newPage();
    await bare.goto(`${platform.apiUrl}/portal`);
    await see(bare.getByRole('heading', { name: 'This link is missing its key', level: 1 }));
    await see(bare.getByText('Ask the team that gave you the link for a new one.'));
    await expectAccessible(bare, 'missing key');

    const link = await openPortalSession(platform.apiUrl, key);
    const page = await open(link);
    await see(page.getByRole('heading', { name: 'Overview', level: 1 }));
    expect(
      (await client(platform.apiUrl, key).request('DELETE', `/v1/portal/sessions/${link.sessionId}`)).status,
    ).toBe(204);
    // The next call the page makes is refused: it says the session ended.
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Inbound' }).click();
    await see(page.getByRole('heading', { name: 'This session has ended', level: 1 }));
    // The token is forgotten: a reload does not try it again.
    await page.reload();
    await see(page.getByRole('heading', { name: 'This link is missing its key', level: 1 }));
  });

  it('deep links open the page they name, and in-app links keep the session', async () => {
    const link = await openPortalSession(platform.apiUrl, key);
    const page = await open(link, `/deliveries/${eventId}`);
    await see(page.getByRole('heading', { name: eventId, level: 1 }));
    await see(page.getByText('"order_id": "o_9"'));
    await page.getByRole('link', { name: 'https://example.com/hooks' }).click();
    await see(page.getByRole('heading', { name: 'https://example.com/hooks', level: 1 }));
    expect(new URL(page.url()).pathname).toBe(`/portal/endpoints/${webhookId}`);
    expect(new URL(page.url()).searchParams.get('session')).toBe(link.sessionId);
    await page.reload();
    await see(page.getByRole('heading', { name: 'https://example.com/hooks', level: 1 }));
  });

  it('a read-only session shows everything and offers no change anywhere', async () => {
    const link = await openPortalSession(platform.apiUrl, key, { capabilities: ['read'] });
    const page = await open(link, '/endpoints');
    await see(page.getByText('View only'));
    await see(page.getByRole('link', { name: 'https://example.com/hooks' }));
    const pages: [string, string][] = [
      ['/endpoints', 'Endpoints'],
      [`/endpoints/${webhookId}`, 'https://example.com/hooks'],
      [`/deliveries/${eventId}`, eventId],
      ['/inbound', 'Inbound'],
      [`/inbound/${sourceId}`, 'GitHub'],
      [`/inbound/${sourceId}/requests/${requestId}`, requestId],
    ];
    for (const [path, heading] of pages) {
      await page.goto(`${platform.apiUrl}/portal${path}?session=${link.sessionId}`);
      await see(page.getByRole('heading', { name: heading, level: 1 }));
      await see(page.getByRole('region').or(page.getByText('Nothing delivered here yet')).first());
      const actions = page.getByRole('main').getByRole('button', {
        name: /new|edit|disable|enable|delete|rotate|send test|recover|resend|retry|replay/i,
      });
      expect([path, await actions.count()]).toEqual([path, 0]);
      expect([path, await page.getByRole('link', { name: /new endpoint|edit/i }).count()]).toEqual([path, 0]);
    }
    await page.goto(`${platform.apiUrl}/portal/endpoints/new?session=${link.sessionId}`);
    await see(page.getByText('This portal link can only read'));
    expect(await page.getByRole('button', { name: 'Create endpoint' }).count()).toBe(0);
  });

  it("wears the tenant's theme, and every page passes axe in dark and light", async () => {
    const link = await openPortalSession(platform.apiUrl, key, {
      theme: { mode: 'dark', accent: '#5b4cdb', name: 'Acme', logo_url: LOGO },
    });
    const page = await open(link);
    await see(page.getByRole('banner').getByText('Acme'));
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    expect(await page.locator('html').getAttribute('style')).toContain('--accent: #5b4cdb');
    expect(await page.getByRole('banner').locator('img').getAttribute('src')).toBe(LOGO);

    // Every page in dark; in light, the pages the other browser tests do not already check.
    const pages: [string, string, 'both' | 'dark'][] = [
      ['', 'Overview', 'dark'],
      ['/endpoints', 'Endpoints', 'dark'],
      ['/endpoints/new', 'New endpoint', 'dark'],
      [`/endpoints/${webhookId}`, 'https://example.com/hooks', 'dark'],
      [`/endpoints/${webhookId}/edit`, 'Edit endpoint', 'both'],
      ['/catalog', 'Event catalog', 'dark'],
      ['/deliveries', 'Deliveries', 'dark'],
      [`/deliveries/${eventId}`, eventId, 'both'],
      ['/inbound', 'Inbound', 'dark'],
      [`/inbound/${sourceId}`, 'GitHub', 'both'],
      [`/inbound/${sourceId}/requests/${requestId}`, requestId, 'dark'],
    ];
    for (const [path, heading, modes] of pages) {
      await page.goto(`${platform.apiUrl}/portal${path}?session=${link.sessionId}`);
      await see(page.getByRole('heading', { name: heading, level: 1 }));
      await loaded(page);
      await expectAccessible(page, `dark ${path || '/'}`);
      if (path === '') await screenshot(page, 'dark-theme');
      if (modes === 'both') {
        await page.getByRole('button', { name: 'Light theme' }).click();
        await expectAccessible(page, `light ${path}`);
      }
    }
  });

  it('is usable from the keyboard: skip link, navigation, and back', async () => {
    const link = await openPortalSession(platform.apiUrl, key);
    const page = await open(link);
    await see(page.getByRole('heading', { name: 'Overview', level: 1 }));
    await page.keyboard.press('Tab');
    const skip = page.getByRole('button', { name: 'Skip to content' });
    expect(await focused(skip)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await focused(page.getByRole('main'))).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/portal');
    const endpoints = page
      .getByRole('navigation', { name: 'Portal' })
      .getByRole('link', { name: 'Endpoints' });
    await endpoints.focus();
    await page.keyboard.press('Enter');
    const heading = await see(page.getByRole('heading', { name: 'Endpoints', level: 1 }));
    // The new page's heading takes the focus, so a screen reader announces where it is.
    await eventually(async () => ((await focused(heading)) ? true : undefined));
    await page.goBack();
    await see(page.getByRole('heading', { name: 'Overview', level: 1 }));
  });
});
