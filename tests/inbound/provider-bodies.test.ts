import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { freePort } from '@hookrelay/local';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  type Client,
  client,
  eventually,
  startTestPlatform,
  type TestPlatform,
} from '../support/platform.js';
import { ISSUED_SECRETS, post, signAs } from './support/provider-requests.js';

/*
 * Bodies providers really send, on the queues `make dev` keeps by default (persistent data):
 * emoji in a GitHub commit message, GitHub's default form content type, a Slack slash command.
 * AWS takes each of them; so must the local platform, and route them in order.
 */
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const dataDir = mkdtempSync(join(tmpdir(), 'hookrelay-inbound-'));
let platform: TestPlatform | undefined;
// The functions load once per process, with the first platform's names and addresses: every
// platform of this file is the same one (stage, ports, data), started again.
let same: {
  stage: string;
  adminKey: string;
  apiPort: number;
  ingestPort: number;
  busPort: number;
  sqsPort: number;
};
const startSame = async (options: { startInboundProcessor?: boolean; releaseHeldOnStart?: boolean } = {}) => {
  same ??= {
    stage: `p${randomBytes(4).toString('hex')}`,
    adminKey: `hr_admin_${randomBytes(16).toString('hex')}`,
    apiPort: await freePort(),
    ingestPort: await freePort(),
    busPort: await freePort(),
    sqsPort: await freePort(),
  };
  return startTestPlatform({ ...same, ...options, persistentQueues: dataDir });
};
afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const FORM = 'application/x-www-form-urlencoded';
const pushWithEmoji = (n: number) =>
  JSON.stringify({
    ref: 'refs/heads/main',
    n,
    commits: [{ message: `Ship it 🚀 #${n}` }, { message: 'Fix the 🐛 in 𝒻𝒶𝓈𝓉 mode' }],
  });
const github = (secret: string, body: string, contentType = 'application/json') => {
  const signed = signAs('github', secret, { body });
  return { body, headers: { ...signed.headers, 'content-type': contentType } };
};

const sourceFor = async (tenant: Client, provider: string) => {
  const reply = await tenant.request('POST', '/v1/sources', {
    name: `${provider} repo`,
    provider,
    ...(ISSUED_SECRETS[provider] ? { secret: ISSUED_SECRETS[provider] } : {}),
  });
  expect(reply.status).toBe(201);
  return reply.body.source as { id: string; ingest_url: string; secret?: string };
};

const routed = (tenant: Client, ids: readonly string[]) =>
  eventually(async () => {
    const all = await Promise.all(ids.map((id) => tenant.request('GET', `/v1/inbound/${id}`)));
    return all.every((r) => r.body.status === 'ROUTED') ? all.map((r) => r.body) : undefined;
  }, 30_000);

describe('provider bodies on the local platform', () => {
  it('routes a GitHub push with emoji, a form-encoded push and a Slack slash command', async () => {
    platform = await startSame();
    const admin = client(platform.apiUrl, same.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'provider-bodies' });
    const tenant = client(platform.apiUrl, created.body.api_key);

    const repo = await sourceFor(tenant, 'github');
    const secret = repo.secret ?? '';
    const json = pushWithEmoji(1);
    const form = `payload=${encodeURIComponent(pushWithEmoji(2))}`;
    const ids: string[] = [];
    for (const request of [github(secret, json), github(secret, form, FORM)]) {
      const reply = await post(repo.ingest_url, request);
      expect(reply.status).toBe(202);
      ids.push(reply.body.webhook_id);
    }
    const slack = await sourceFor(tenant, 'slack');
    const command = 'token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&command=%2Fweather&text=94070+%E2%98%94';
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', ISSUED_SECRETS.slack ?? '')
      .update(`v0:${ts}:${command}`)
      .digest('hex');
    const slash = await post(slack.ingest_url, {
      body: command,
      headers: {
        'content-type': FORM,
        'X-Slack-Signature': `v0=${signature}`,
        'X-Slack-Request-Timestamp': ts,
      },
    });
    expect(slash.status).toBe(202);
    ids.push(slash.body.webhook_id);

    const requests = await routed(tenant, ids);
    // Byte-identical, as the provider sent them.
    expect(requests.map((r) => r.body)).toEqual([json, form, command]);
    // In order within a source; two sources are routed independently, in either order.
    const bus = platform.bus;
    const typesOf = (sourceId: string) =>
      bus.events
        .filter((e) => (e.detail as { source_id?: string }).source_id === sourceId)
        .map((e) => [e.source, e['detail-type']]);
    expect(typesOf(repo.id)).toEqual([
      ['hookrelay.inbound.github', 'push'],
      ['hookrelay.inbound.github', 'push'],
    ]);
    expect(typesOf(slack.id)).toEqual([['hookrelay.inbound.slack', 'slash_command']]);
  }, 120_000);

  it('a development restart (DEV_RELEASE_HELD=1) releases what a killed platform held, and routes it in order', async () => {
    await platform?.stop();
    platform = undefined;
    const first = await startSame({ startInboundProcessor: false });
    platform = first;
    const admin = client(first.apiUrl, same.adminKey);
    const created = await admin.request('POST', '/v1/tenants', { tenant_id: 'killed-holding' });
    const tenant = client(first.apiUrl, created.body.api_key);
    const repo = await sourceFor(tenant, 'github');
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const reply = await post(repo.ingest_url, github(repo.secret ?? '', pushWithEmoji(n)));
      expect(reply.status).toBe(202);
      ids.push(reply.body.webhook_id);
    }
    // What a processor held when the platform was killed: received, neither deleted nor released.
    const sqs = new SQSClient({ endpoint: first.sqsEndpoint, region: 'us-east-1', credentials });
    const held = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: first.inboundQueueUrls.fifo,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 600,
      }),
    );
    sqs.destroy();
    // One receive takes as many of the group's messages as it may, in order, as SQS does; the
    // group is then locked behind them.
    expect(held.Messages?.map((m) => JSON.parse(m.Body ?? '{}').webhook_id)).toEqual(ids);
    await first.stop();
    platform = undefined;

    // Without the option the held message would come back after its visibility timeout, as on SQS.
    platform = await startSame({ releaseHeldOnStart: true });
    const again = client(platform.apiUrl, created.body.api_key);
    await routed(again, ids);
    const order = platform.bus.events
      .filter((e) => (e.detail as { source_id?: string }).source_id === repo.id)
      .map((e) => (e.detail as { payload: { n: number } }).payload.n);
    expect(order).toEqual([0, 1, 2]);
  }, 120_000);
});
