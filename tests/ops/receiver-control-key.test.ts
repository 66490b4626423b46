import { Logger } from '@aws-lambda-powertools/logger';
import { ENV } from '@hookrelay/definitions';
import { systemClock } from '@hookrelay/domain';
import { createDocumentClient, DynamoDbReceiverStateStore, DynamoDbSecretStore } from '@hookrelay/dynamodb';
import { lambdaContext, proxyEvent } from '@hookrelay/local';
import { createReceiverHandler } from '@hookrelay/receiver/receiver-handler';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { receiverClient, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { type TestTenant, tenantOnReceiver } from './ops-support.js';

/*
 * On AWS the receiver's handler is given the admin key (from its SSM parameter) and its control
 * routes refuse a request without it; the local platform's receiver, on loopback, gives none.
 * The handler here runs on the platform's real tables, with the key a cloud stage would give.
 */
const ADMIN_KEY = 'hr_admin_receiver-control-test';

let platform: TestPlatform;
let tenant: TestTenant;
let invoke: (
  method: string,
  path: string,
  headers?: Record<string, string>,
) => Promise<APIGatewayProxyResult>;

beforeAll(async () => {
  platform = await startTestPlatform();
  tenant = await tenantOnReceiver(platform, 'recv-guarded');
  const db = createDocumentClient({
    endpoint: platform.dynamodbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const handler = createReceiverHandler(
    {
      secrets: new DynamoDbSecretStore(db, platform.env[ENV.secretsTable] ?? ''),
      state: new DynamoDbReceiverStateStore(db, platform.env[ENV.receiverTable] ?? ''),
      clock: systemClock,
    },
    new Logger({ serviceName: 'receiver', logLevel: 'SILENT' }),
    { controlKey: { source: 'test', value: async () => ADMIN_KEY } },
  ) as unknown as (event: APIGatewayProxyEvent, context: unknown) => Promise<APIGatewayProxyResult>;
  invoke = (method, path, headers = {}) => {
    const [, tenantId = '', action = ''] = path.split('/');
    return handler(
      proxyEvent({
        method,
        resource: tenantId === 'health' ? '/health' : `/{tenantId}/${action}`,
        path,
        headers: Object.entries({ 'x-request-id': 'req-control-1', ...headers }),
        pathParameters: tenantId === 'health' ? null : { tenantId },
        body: null,
      }),
      lambdaContext('receiver', 10_000),
    );
  };
});

afterAll(async () => {
  await platform?.stop();
});

describe('the receiver’s control routes with an admin key configured', () => {
  it.each([
    ['POST', 'disable'],
    ['POST', 'enable'],
    ['GET', 'status'],
  ])(
    '%s /{tenantId}/%s without the key: 401 JSON error with the request id, nothing changed',
    async (method, action) => {
      const refused: Record<string, string>[] = [
        {},
        { authorization: 'Bearer hr_wrong' },
        { authorization: ADMIN_KEY },
      ];
      for (const headers of refused) {
        const reply = await invoke(method, `/${tenant.id}/${action}`, headers);
        expect(reply.statusCode).toBe(401);
        expect(reply.headers?.['x-request-id']).toBe('req-control-1');
        expect(JSON.parse(reply.body)).toEqual({
          error: { code: 'unauthorized', message: expect.stringContaining('admin key') },
        });
        expect(reply.body).not.toContain(ADMIN_KEY);
      }
      // The platform's own (open) receiver shares the table: still enabled.
      const status = await receiverClient(platform.receiverUrl).request('GET', `/${tenant.id}/status`);
      expect(status.body).toMatchObject({ enabled: true });
    },
  );

  it('switches the tenant with the admin key as a bearer token', async () => {
    const auth = { authorization: `Bearer ${ADMIN_KEY}` };
    const off = await invoke('POST', `/${tenant.id}/disable`, auth);
    expect(off.statusCode).toBe(200);
    expect(JSON.parse(off.body)).toEqual({ tenant_id: tenant.id, enabled: false });
    const status = await invoke('GET', `/${tenant.id}/status`, auth);
    expect(JSON.parse(status.body)).toMatchObject({ tenant_id: tenant.id, enabled: false });
    expect((await invoke('POST', `/${tenant.id}/enable`, auth)).statusCode).toBe(200);
  });

  it('leaves /health and deliveries open (a delivery proves itself with its signature)', async () => {
    const health = await invoke('GET', '/health');
    expect(health.statusCode).toBe(200);
    const unsigned = await invoke('POST', `/${tenant.id}/webhook`);
    expect(unsigned.statusCode).toBe(401);
    expect(JSON.parse(unsigned.body)).not.toMatchObject({
      error: { code: 'unauthorized', message: expect.stringContaining('admin key') },
    });
  });
});
