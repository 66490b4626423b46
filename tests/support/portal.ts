import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';
import { type Client, client, eventually } from './platform.js';

const PORTAL = fileURLToPath(new URL('../../packages/portal/', import.meta.url));
const DIST = join(PORTAL, 'dist');
const SCREENSHOTS = fileURLToPath(new URL('../../docs/portal/', import.meta.url));

const newestIn = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }, 0);

/**
 * The platform serves packages/portal/dist (`make build` makes it). A run without a build, or
 * after the portal's sources changed, builds it here first: into a folder of its own, then
 * moved into place, so two test files doing it at once do not trip over each other.
 */
export const ensurePortalBuilt = (): void => {
  const index = join(DIST, 'index.html');
  const sources = Math.max(newestIn(join(PORTAL, 'src')), statSync(join(PORTAL, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  const out = join(PORTAL, `.dist-${process.pid}`);
  const vite = join(PORTAL, 'node_modules', 'vite', 'bin', 'vite.js');
  try {
    execFileSync(process.execPath, [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: PORTAL,
      stdio: 'pipe',
    });
  } catch (error) {
    rmSync(out, { recursive: true, force: true });
    const output = error instanceof Error && 'stderr' in error ? String(error.stderr) : String(error);
    throw new Error(`The portal did not build (pnpm -F @hookrelay/portal run build):\n${output}`);
  }
  const old = join(PORTAL, `.dist-old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  try {
    renameSync(out, DIST);
  } catch {
    rmSync(out, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
};

export interface PortalLink {
  readonly url: string;
  readonly sessionId: string;
  readonly token: string;
}

/** A portal link for the tenant of `key`, as `POST /v1/portal/sessions` gives it. */
export const openPortalSession = async (
  apiUrl: string,
  key: string,
  body: Record<string, unknown> = {},
): Promise<PortalLink> => {
  const reply = await client(apiUrl, key).request('POST', '/v1/portal/sessions', body);
  expect(reply.status).toBe(201);
  const url = new URL(reply.body.url);
  return { url: reply.body.url, sessionId: reply.body.session_id, token: url.hash.replace(/^#token=/, '') };
};

/** A tenant of its own with a key, on `platform`; `target_url` makes its default endpoint. */
export const createTenant = async (
  apiUrl: string,
  adminKey: string,
  tenantId: string,
): Promise<{ key: string; api: Client }> => {
  const created = await client(apiUrl, adminKey).request('POST', '/v1/tenants', { tenant_id: tenantId });
  expect(created.status).toBe(201);
  return { key: created.body.api_key, api: client(apiUrl, created.body.api_key) };
};

/** axe on the page as it is: no serious or critical violation (the ones a person is stopped by). */
export const expectAccessible = async (page: Page, where: string): Promise<void> => {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      where,
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  expect(blocking).toEqual([]);
};

/** A screenshot for docs/portal.md, only when PORTAL_SCREENSHOTS=1 (a test run leaves the tree alone). */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  if (process.env.PORTAL_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
};

/** Waits until the locator shows (the portal polls and refetches: what is due appears by itself). */
export const see = async (locator: Locator, timeout = 15_000): Promise<Locator> => {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator;
};

/** Waits until no part of the page still says it is loading ("Reading ……"). */
export const loaded = async (page: Page): Promise<void> => {
  const loading = page.getByRole('status').filter({ hasText: /…$/ });
  await eventually(async () => ((await loading.count()) === 0 ? true : undefined));
};

/** Whether the locator's element has the keyboard focus. */
export const focused = (locator: Locator): Promise<boolean> =>
  locator.evaluate((el) => el === el.ownerDocument.activeElement);
