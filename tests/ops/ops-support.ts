import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type CliIo, runCli } from '@hookrelay/ops-cli';
import { type Client, client, eventually, receiverClient, type TestPlatform } from '../support/platform.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the operations CLI in-process, the same `runCli` that `make dlq-*` runs, capturing its output. */
export const cli = async (
  argv: readonly string[],
  env: Record<string, string>,
  overrides?: CliIo['overrides'],
): Promise<CliRun> => {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    env,
    cwd: REPO_ROOT,
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    ...(overrides ? { overrides } : {}),
  });
  return { code, out, err };
};

/** The CLI's environment for a test platform: its stage on the run's DynamoDB Local and fauxqs. */
export const stageEnv = (platform: TestPlatform): Record<string, string> => ({
  STAGE: platform.env.STAGE ?? '',
  DYNAMODB_ENDPOINT: platform.dynamodbEndpoint,
  SQS_ENDPOINT: platform.sqsEndpoint,
});

/**
 * Runs a real make target from the repository root, as on-call would. make's own variables
 * from a surrounding `make test` are dropped so the child prints nothing but the recipe's output.
 */
/** Runs a make target in the repository; `input` is its stdin (closed, so nothing waits on it). */
export const make = (
  args: readonly string[],
  env: Record<string, string> = {},
  input = '',
): Promise<CliRun> =>
  new Promise((resolve) => {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] =>
          entry[1] !== undefined && !['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES'].includes(entry[0]),
      ),
    );
    const child = execFile(
      'make',
      ['--no-print-directory', ...args],
      { cwd: REPO_ROOT, env: { ...base, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, out: stdout, err: stderr });
      },
    );
    child.stdin?.end(input);
  });

export const portOf = (endpoint: string): string => new URL(endpoint).port;

export { freePort } from '@hookrelay/local';

export interface TestTenant {
  readonly id: string;
  readonly api: Client;
  readonly apiKey: string;
  readonly webhookId: string;
  readonly webhookSecret: string;
}

/** A tenant whose default webhook is the platform's reference receiver. */
export const tenantOnReceiver = async (platform: TestPlatform, id: string): Promise<TestTenant> => {
  const created = await client(platform.apiUrl, platform.adminKey).request('POST', '/v1/tenants', {
    tenant_id: id,
    target_url: `${platform.receiverUrl}/${id}/webhook`,
  });
  if (created.status !== 201) throw new Error(`creating ${id}: ${created.status} ${created.text}`);
  return {
    id,
    api: client(platform.apiUrl, created.body.api_key),
    apiKey: created.body.api_key,
    webhookId: created.body.webhook.id,
    webhookSecret: created.body.webhook_secret,
  };
};

/** Switches the reference receiver for a tenant, as POST /{tenant}/enable|disable does. */
export const setReceiver = async (platform: TestPlatform, tenantId: string, enabled: boolean) => {
  const reply = await receiverClient(platform.receiverUrl).request(
    'POST',
    `/${tenantId}/${enabled ? 'enable' : 'disable'}`,
  );
  if (reply.status !== 200 || reply.body.enabled !== enabled) {
    throw new Error(`receiver ${tenantId} ${enabled}: ${reply.status} ${reply.text}`);
  }
};

export const sendEvent = async (tenant: TestTenant, data: Record<string, unknown>): Promise<string> => {
  const sent = await tenant.api.request('POST', '/v1/events', { type: 'order.created', data });
  if (sent.status !== 201) throw new Error(`sending: ${sent.status} ${sent.text}`);
  return sent.body.event_id;
};

/** Waits until the event is in `status` and returns its view. */
export const eventIn = (tenant: TestTenant, eventId: string, status: string, timeoutMs = 30_000) =>
  eventually(async () => {
    const got = await tenant.api.request('GET', `/v1/events/${eventId}`);
    return got.body?.status === status ? got.body : undefined;
  }, timeoutMs);
