import { inboundMapping, lanes, WORKER_TIMEOUT_SECONDS } from '@hookrelay/definitions';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The local platform runs production's topology unless told otherwise, from the definitions infra uses. */
describe("the local platform's event source mappings", () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    // The test platform's own smaller main lane taken away: the platform's default.
    platform = await startTestPlatform({ workerConcurrency: undefined });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it("are a production stage's: each lane's and the inbound queue's maximum concurrency and batch size", () => {
    const expected = [
      ...Object.entries(lanes).map(([name, lane]) => ({
        name,
        service: 'worker',
        batchSize: lane.batchSize,
        batchingWindowSeconds: lane.batchingWindowSeconds,
        maximumConcurrency: lane.maximumConcurrency.production,
        timeoutSeconds: WORKER_TIMEOUT_SECONDS,
      })),
      {
        name: 'inbound',
        service: 'inbound-processor',
        batchSize: inboundMapping.batchSize,
        maximumConcurrency: inboundMapping.maximumConcurrency.production,
      },
    ];
    expect(platform.topology).toEqual(expected.map((m) => expect.objectContaining(m)));
  });
});
