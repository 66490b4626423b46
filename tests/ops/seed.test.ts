import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedReport } from '@hookrelay/ops-cli';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { cli, make } from './ops-support.js';

let platform: TestPlatform;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  platform = await startTestPlatform();
  // What `make dev` leaves in its data folder: the admin key the seed reads by default.
  dataDir = mkdtempSync(join(tmpdir(), 'hookrelay-seed-'));
  writeFileSync(join(dataDir, 'admin-key'), `${platform.adminKey}\n`);
  env = {
    STAGE: 'local',
    DEV_DATA_DIR: dataDir,
    API_URL: platform.apiUrl,
    RECEIVER_URL: platform.receiverUrl,
  };
});

afterAll(async () => {
  await platform?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const SEEDED = ['test-tenant', 'acme', 'globex'];

describe('seed data', () => {
  it('creates test-tenant, acme and globex on the reference receiver and prints their keys', async () => {
    const run = await cli(['seed'], env);
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    const report = JSON.parse(run.out) as SeedReport;
    expect(report.tenants.map((t) => t.tenant_id)).toEqual(SEEDED);
    for (const t of report.tenants) {
      expect(t).toMatchObject({ created: true, api_key: expect.stringMatching(/^hr_/) });
      const tenant = await client(platform.apiUrl, t.api_key ?? '').request('GET', '/v1/tenants/current');
      expect(tenant.status).toBe(200);
      expect(tenant.body).toMatchObject({
        tenant_id: t.tenant_id,
        target_url: `${platform.receiverUrl}/${t.tenant_id}/webhook`,
      });
    }
    expect(JSON.parse(readFileSync(join(dataDir, 'seed-keys.json'), 'utf8'))).toEqual(
      Object.fromEntries(report.tenants.map((t) => [t.tenant_id, t.api_key])),
    );

    // The seeded webhook really reaches the reference receiver, which verifies the signature.
    const acme = client(platform.apiUrl, report.tenants[1]?.api_key ?? '');
    const sent = await acme.request('POST', '/v1/events', { type: 'order.created', data: { n: 1 } });
    expect(sent.status).toBe(201);
    await eventually(async () => {
      const got = await acme.request('GET', `/v1/events/${sent.body.event_id}`);
      return got.body.status === 'DELIVERED' ? got.body : undefined;
    });
  });

  it('is idempotent: a second run (here through make seed) changes nothing and still shows the keys', async () => {
    const before = JSON.parse(readFileSync(join(dataDir, 'seed-keys.json'), 'utf8')) as Record<
      string,
      string
    >;
    const run = await make(['seed', 'STAGE=local'], { ...env, ADMIN_API_KEY: '' });
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.out) as SeedReport;
    expect(report.tenants).toEqual(
      SEEDED.map((id) => ({ tenant_id: id, created: false, api_key: before[id] })),
    );
    for (const id of SEEDED) {
      const webhooks = await client(platform.apiUrl, before[id]).request('GET', '/v1/webhooks');
      expect(webhooks.body.count).toBe(1);
    }
  });

  it('on a cloud stage it asks for what it cannot guess', async () => {
    const run = await cli(['seed', '--stage', 'prod'], {});
    expect(run.code).toBe(2);
    expect(run.err).toContain('make seed STAGE=prod needs API_URL, ADMIN_API_KEY, RECEIVER_URL');
  });
});
