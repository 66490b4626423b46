import { FUNCTION_ACCESS, type FunctionAccess, type ServiceName } from '@hookrelay/definitions/access';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { captureOutput } from '../support/output.js';
import { client, eventually, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { startReceiver, type TestReceiver } from '../support/receiver.js';

/**
 * A record the worker cannot process (here: its role may not read the signing secrets) fails on
 * its own, and its cause is in the log with its ids: not a whole batch failing with an error
 * that names no record.
 */
const withoutSecrets: Record<ServiceName, FunctionAccess> = {
  ...FUNCTION_ACCESS,
  worker: {
    ...FUNCTION_ACCESS.worker,
    tables: FUNCTION_ACCESS.worker.tables.filter((grant) => grant.table !== 'secrets'),
  },
};

describe('a record the worker cannot process', () => {
  let platform: TestPlatform;
  let receiver: TestReceiver;
  const written: string[] = [];
  let restoreOutput: () => void = () => {};

  beforeAll(async () => {
    // Errors go to stderr, the rest to stdout.
    restoreOutput = captureOutput(written, ['stdout', 'stderr']);
    // The worker in this process (not its own Lambda-like threads), so that its log lines reach this test's capture.
    platform = await startTestPlatform({
      expectDenials: true,
      access: withoutSecrets,
      lambdaInstances: false,
    });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    restoreOutput();
    await receiver?.close();
    await platform?.stop();
  });

  const lines = () =>
    written
      .join('')
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });

  it('is logged with its ids and cause, and fails alone', async () => {
    const admin = client(platform.apiUrl, platform.adminKey);
    const created = await admin.request('POST', '/v1/tenants', {
      tenant_id: 'record-failure',
      target_url: `${receiver.url}/in`,
    });
    const tenant = client(platform.apiUrl, created.body.api_key);
    const sent = await tenant.request('POST', '/v1/events', { type: 'order.created', data: {} });
    const logged = await eventually(async () =>
      lines().find(
        (l) =>
          l.message === 'delivery not processed; its message comes back' && l.event_id === sent.body.event_id,
      ),
    );
    expect(logged).toMatchObject({
      tenant_id: 'record-failure',
      webhook_id: created.body.default_webhook_id,
      attempt: 1,
      message_id: expect.any(String),
      error: expect.stringContaining('AccessDenied'),
    });
    expect(written.join('')).not.toContain('FullBatchFailureError');
    expect(receiver.requests).toHaveLength(0);
  }, 60_000);
});
