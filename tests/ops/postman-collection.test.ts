import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fetchOpenApi,
  NO_SERVER_ERROR_TEST,
  type PostmanCollection,
  postmanCollection,
  requestsOf,
} from '@hookrelay/ops-cli';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import newman, { type NewmanRunOptions, type NewmanRunSummary } from 'newman';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { make, type TestTenant, tenantOnReceiver } from './ops-support.js';

let platform: TestPlatform;
let tenant: TestTenant;
let outDir: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  tenant = await tenantOnReceiver(platform, 'postman-shop');
  outDir = mkdtempSync(join(tmpdir(), 'hookrelay-collection-'));
});

afterAll(async () => {
  await platform?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const run = (options: NewmanRunOptions): Promise<NewmanRunSummary> =>
  new Promise((resolve, reject) => {
    newman.run(options, (error, summary) => (error ? reject(error) : resolve(summary)));
  });

/** Operations in the OpenAPI document: the collection must have a request for each. */
const operationCount = (openapi: object): number =>
  Object.values((openapi as { paths: Record<string, Record<string, unknown>> }).paths).reduce(
    (n, ops) => n + Object.keys(ops).length,
    0,
  );

const expectNoServerErrors = (summary: NewmanRunSummary, requests: number) => {
  const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.message}`);
  expect(failures).toEqual([]);
  expect(summary.error).toBeUndefined();
  expect(summary.run.executions).toHaveLength(requests);
  const codes = summary.run.executions.map((e) => ({
    request: `${e.request.method} ${e.request.url.getPath()}`,
    code: e.response?.code,
  }));
  expect(codes.filter((c) => c.code === undefined || c.code >= 500)).toEqual([]);
  expect(summary.run.stats.assertions.total).toBe(requests);
  expect(summary.run.stats.assertions.failed).toBe(0);
  return codes;
};

describe('the Postman collection generated from the OpenAPI document', () => {
  it('covers every operation, each with the no-server-error test, and newman runs it green', async () => {
    const openapi = await fetchOpenApi(platform.apiUrl);
    const collection = await postmanCollection(openapi, {
      baseUrl: platform.apiUrl,
      bearerToken: tenant.apiKey,
    });
    const requests = requestsOf(collection);
    expect(requests.length).toBe(operationCount(openapi));
    for (const item of requests) expect(item.event).toContainEqual(NO_SERVER_ERROR_TEST);
    expect(collection.variable).toEqual(
      expect.arrayContaining([
        { key: 'baseUrl', value: platform.apiUrl, type: 'string' },
        { key: 'bearerToken', value: tenant.apiKey, type: 'string' },
      ]),
    );

    const summary = await run({
      collection: collection as unknown as NewmanRunOptions['collection'],
      reporters: [],
      timeoutRequest: 15_000,
    });
    const codes = expectNoServerErrors(summary, requests.length);
    // The placeholders earn 4xx; the key was sent (no 401 on tenant routes) and real reads succeed.
    expect(codes).toContainEqual({ request: 'GET /health', code: 200 });
    expect(codes).toContainEqual({ request: 'GET /v1/webhooks', code: 200 });
    expect(codes).toContainEqual({ request: 'GET /v1/tenants/current', code: 200 });
    expect(codes.filter((c) => c.code === 401)).toEqual([]);
    expect(platform.logs.filter((l) => l.level === 'ERROR')).toEqual([]);
  });

  it('follows the convention: snake_case parameters and fields, no deprecated spelling', async () => {
    const collection = await postmanCollection(await fetchOpenApi(platform.apiUrl), {
      baseUrl: platform.apiUrl,
    });
    const requests = requestsOf(collection).map(
      (item) =>
        item.request as {
          url?: { query?: { key: string }[]; variable?: { key: string }[] };
          body?: { raw?: string };
        },
    );
    const names = requests.flatMap((r) =>
      [...(r.url?.query ?? []), ...(r.url?.variable ?? [])].map((q) => q.key),
    );
    expect(names).toContain('webhook_id');
    expect(names.filter((name) => !/^[a-z][a-z0-9_]*$/.test(name))).toEqual([]);
    const bodyFields = requests.flatMap((r) => {
      const raw = r.body?.raw;
      if (!raw) return [];
      const fields: string[] = [];
      JSON.stringify(JSON.parse(raw), (key, value) => {
        if (key !== '' && Number.isNaN(Number(key))) fields.push(key);
        return value;
      });
      return fields;
    });
    expect(bodyFields.length).toBeGreaterThan(0);
    // Header names inside a webhook's custom headers are the tenant's own; every field of ours is snake_case.
    expect(bodyFields.filter((f) => !/^[a-z][a-z0-9_]*$/.test(f) && !/^[A-Za-z-]+$/.test(f))).toEqual([]);
    expect(JSON.stringify(collection)).not.toContain('webhookId');
  });

  it('make collection writes it to a git-ignored file that runs the same way with a key filled in', async () => {
    const file = join(outDir, 'hookrelay.postman_collection.json');
    const made = await make(['collection', `COLLECTION=${file}`], {
      API_URL: platform.apiUrl,
      BEARER_TOKEN: '',
    });
    expect(made.code).toBe(0);
    expect(made.out).toBe(`${file}\n`);
    expect(made.err).toMatch(/^\d+ requests from /);
    const written = JSON.parse(readFileSync(file, 'utf8')) as PostmanCollection;
    // No key is written to disk unless BEARER_TOKEN asks for it.
    expect(written.variable).toContainEqual({ key: 'bearerToken', value: '', type: 'string' });

    const summary = await run({
      collection: file,
      envVar: [{ key: 'bearerToken', value: tenant.apiKey }],
      reporters: [],
      timeoutRequest: 15_000,
    });
    expectNoServerErrors(summary, requestsOf(written).length);
  });
});
