import { type Client, client, startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { startReceiver, type TestReceiver } from '../../support/receiver.js';

/** Where a request stands in the test's lines: events carry `data: {key, n}`. */
export const keyOf = (body: string): { key: string; n: number } => {
  const data = (JSON.parse(body) as { data: { key: string; n: number } }).data;
  return { key: data.key, n: data.n };
};

export interface OrderedLines {
  readonly platform: TestPlatform;
  readonly receiver: TestReceiver;
  readonly tenant: Client;
  stop(): Promise<void>;
}

/**
 * A platform with the given retry schedule, a receiver that answers each request with the
 * status `statusOf` gives its key and number, and a tenant of its own.
 */
export const startOrderedLines = async (
  tenantId: string,
  retrySchedule: string,
  statusOf: (at: { key: string; n: number }) => number,
): Promise<OrderedLines> => {
  const platform = await startTestPlatform({ retrySchedule });
  const receiver = await startReceiver((req) => ({ status: statusOf(keyOf(req.body)) }));
  const admin = client(platform.apiUrl, platform.adminKey);
  const created = await admin.request('POST', '/v1/tenants', { tenant_id: tenantId });
  return {
    platform,
    receiver,
    tenant: client(platform.apiUrl, created.body.api_key),
    stop: async () => {
      await receiver.close();
      await platform.stop();
    },
  };
};
