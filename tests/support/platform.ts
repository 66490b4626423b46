import { randomBytes } from 'node:crypto';
import { createHookrelayClient, type HookrelayClient, type Middleware } from '@hookrelay/client';
import { type Platform, type PlatformOptions, startPlatform } from '@hookrelay/local';
import { expectContract } from './contract.js';

export interface TestPlatform extends Platform {
  readonly adminKey: string;
  readonly logs: Record<string, unknown>[];
}

/**
 * A whole platform on the run's shared DynamoDB Local and fauxqs, on a stage of its own,
 * with the API and receiver on free loopback ports.
 */
export const startTestPlatform = async (
  options: Partial<PlatformOptions> & {
    /** The test provokes refusals on purpose; otherwise any refused AWS call fails the test file. */
    readonly expectDenials?: boolean;
    /**
     * A fauxqs of the platform's own on persistent data in this folder (as `make dev` runs it),
     * instead of the run's shared in-memory one; started again on the same folder, it is restarted.
     */
    readonly persistentQueues?: string;
  } = {},
): Promise<TestPlatform> => {
  const { expectDenials, persistentQueues, ...platformOptions } = options;
  const dynamodbEndpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  const sqsEndpoint = persistentQueues ? undefined : process.env.TEST_SQS_ENDPOINT;
  if (!dynamodbEndpoint || !(sqsEndpoint || persistentQueues))
    throw new Error('the jest global setup did not start the engines');
  const adminKey = `hr_admin_${randomBytes(16).toString('hex')}`;
  const logs: Record<string, unknown>[] = [];
  const platform = await startPlatform({
    stage: `t${randomBytes(4).toString('hex')}`,
    apiPort: 0,
    receiverPort: 0,
    ingestPort: 0,
    dynamodbEndpoint,
    ...(sqsEndpoint ? { sqsEndpoint } : { sqsPort: 0 }),
    ...(persistentQueues ? { dataDir: persistentQueues } : {}),
    adminKey,
    sweepIntervalMs: 3_600_000,
    workerConcurrency: 2,
    log: (entry) => logs.push(entry),
    ...platformOptions,
  });
  return {
    ...platform,
    adminKey,
    logs,
    // A function that calls what its role does not allow would fail on AWS: so it does here,
    // even where the code swallows the error.
    stop: async () => {
      await platform.stop();
      const denials = platform.iamDenials();
      if (!expectDenials && denials.length > 0) {
        throw new Error(`AWS calls refused by IAM: ${JSON.stringify(denials)}`);
      }
    },
  };
};

export interface Client {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test replies are read field by field
  readonly body: any;
}

/**
 * The API's test client: every response is checked against the OpenAPI document (status,
 * content type, body schema) and a response that breaks it fails the test that saw it.
 */
export const client = (baseUrl: string, key?: string): Client => {
  const plain = receiverClient(baseUrl, key);
  return {
    async request(method, path, body, headers) {
      const reply = await plain.request(method, path, body, headers);
      expectContract({
        method,
        path,
        status: reply.status,
        contentType: reply.headers.get('content-type'),
        text: reply.text,
      });
      return reply;
    },
  };
};

/** Checks each answer the typed client gets against the OpenAPI document, like `client` does. */
const contractCheck: Middleware = {
  async onResponse({ request, response }) {
    const url = new URL(request.url);
    expectContract({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: await response.clone().text(),
    });
  },
};

/**
 * The typed client (`@hookrelay/client`) as tests use it: every answer checked against the
 * OpenAPI document.
 */
export const apiClient = (baseUrl: string, key?: string): HookrelayClient => {
  const api = createHookrelayClient({ baseUrl, ...(key ? { apiKey: key } : {}) });
  api.use(contractCheck);
  return api;
};

/** The same client for the reference receiver, which the API's document does not describe. */
export const receiverClient = (baseUrl: string, key?: string): Client => ({
  async request(method, path, body, headers = {}) {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  },
});

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export const eventually = async <T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
};
