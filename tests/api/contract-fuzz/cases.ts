import type { FrontDoor } from '@hookrelay/local';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { client, type Reply, startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { startReceiver, type TestReceiver } from '../../support/receiver.js';
import { createFixtures, type Fixtures } from './fixtures.js';
import { FOUND } from './found.js';
import { documentedOperations } from './operations.js';
import { type Caller, type FuzzRequest, requestsFor } from './requests.js';

/**
 * The seed and the number of requests per operation; `FUZZ_SEED` and `FUZZ_RUNS` change them
 * (a failure prints the seed and path that replay it).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

const operations = documentedOperations();

/**
 * What breaks the contract in an answer: a 5xx, a status, content type or body the document
 * does not give (the test client checks each answer against it), or no request id. The one
 * answer without `x-request-id` is an HTTP API front door's own (`{"message": ...}`), which
 * carries `apigw-requestid` instead (docs/api.md).
 */
const problemsOf = (door: FrontDoor, request: FuzzRequest, reply: Reply): string[] => {
  const problems: string[] = [];
  const where = `${request.method} ${request.path.slice(0, 300)} as ${request.caller} → ${reply.status}`;
  if (reply.status >= 500) problems.push(`${where}: a 5xx: ${reply.text.slice(0, 300)}`);
  const gatewayOwn =
    door === 'http' &&
    typeof reply.body?.message === 'string' &&
    reply.body.error === undefined &&
    Boolean(reply.headers.get('apigw-requestid'));
  if (!reply.headers.get('x-request-id') && !gatewayOwn) problems.push(`${where}: no x-request-id`);
  return problems;
};

/**
 * The contract fuzz test behind one front door: every operation of the OpenAPI document, with
 * requests drawn from real ids and edge values for each parameter and body field, sent as the
 * tenant, a portal session, another tenant, the admin or no one. One front door per test file:
 * the API's module state belongs to the one platform a file starts. The portal's build must
 * exist (`make test` makes it first), as for the portal page's own tests.
 */
export const describeContractFuzz = (door: FrontDoor) =>
  describe(`every operation of the document, fuzzed behind the ${door} front door`, () => {
    let platform: TestPlatform;
    let receiver: TestReceiver;
    let fixtures: Fixtures;

    beforeAll(async () => {
      receiver = await startReceiver();
      platform = await startTestPlatform({
        apiGateway: door,
        startWorker: false,
        startInboundProcessor: false,
        deliveryTimeoutMs: 1_000,
      });
      fixtures = await createFixtures(platform, door, receiver.url);
    });
    afterAll(async () => {
      await platform?.stop();
      await receiver?.close();
    });

    const keyOf = (caller: Caller): string | undefined =>
      ({
        tenant: fixtures.keys.tenant,
        'portal-manage': fixtures.keys.portalManage,
        'portal-read': fixtures.keys.portalRead,
        admin: fixtures.keys.admin,
        other: fixtures.keys.other,
        none: undefined,
        forged: `hr_${'0'.repeat(64)}`,
      })[caller];

    /** Sends the request; what breaks the contract, as sentences (none when it holds). */
    const exchange = async (request: FuzzRequest): Promise<string[]> => {
      let reply: Reply;
      try {
        reply = await client(platform.apiUrl, keyOf(request.caller)).request(
          request.method,
          request.path,
          request.body,
          { ...request.headers },
        );
      } catch (error) {
        // The test client throws on an answer the document does not give.
        return [`${request.method} ${request.path.slice(0, 300)} as ${request.caller}: ${String(error)}`];
      }
      // Ending every portal session ends the fuzz test's own too: open new ones.
      if (
        request.method === 'DELETE' &&
        request.path.startsWith('/v1/portal/sessions') &&
        reply.status === 204
      )
        await fixtures.renewPortalSessions();
      return problemsOf(door, request, reply);
    };

    it('fuzzes the document the API serves', async () => {
      const served = await client(platform.apiUrl).request('GET', '/v1/openapi.json');
      const documented = Object.entries(served.body.paths as Record<string, Record<string, unknown>>)
        .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
        .sort();
      expect(operations.map((op) => `${op.method} ${op.template}`).sort()).toEqual(documented);
      expect(FOUND.map((f) => f.operation).filter((name) => !documented.includes(name))).toEqual([]);
    });

    it.each(operations.map((op, index) => [`${op.method} ${op.template}`, op, index] as const))(
      '%s',
      async (name, op, index) => {
        const examples = FOUND.filter((f) => f.operation === name).map((f): [FuzzRequest] => [
          f.request(fixtures),
        ]);
        await fc.assert(
          fc.asyncProperty(requestsFor(op, fixtures), async (request) => {
            expect(await exchange(request)).toEqual([]);
          }),
          { seed: SEED + index, numRuns: RUNS, examples, endOnFailure: true },
        );
      },
    );
  });
