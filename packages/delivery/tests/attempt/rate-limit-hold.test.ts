import { describe, expect, it } from '@jest/globals';
import { holdForRateLimit, rateLimitWait } from '../../src/attempt/rate-limit-hold.js';
import { messageOf, NOW, recordingPorts, webhookOf } from './attempt-ports.js';

describe('rateLimitWait', () => {
  it('costs a webhook without a rate limit nothing', async () => {
    const { deps, calls } = recordingPorts({ rateWaitMs: 700 });
    expect(await rateLimitWait(deps, webhookOf(), NOW)).toBe(0);
    expect(calls).toEqual([]);
  });

  it('says how long a webhook whose second is used up waits', async () => {
    const { deps, calls } = recordingPorts({ rateWaitMs: 700 });
    expect(await rateLimitWait(deps, webhookOf({ rate_limit: 2 }), NOW)).toBe(700);
    expect(calls).toEqual(['rateLimiter.take']);
  });
});

describe('holdForRateLimit', () => {
  it('sends the same message back for the next whole second, listing an unattempted one once', async () => {
    const { deps, queued } = recordingPorts({ rateWaitMs: 1_200 });
    const webhook = webhookOf({ rate_limit: 2 });
    expect(await holdForRateLimit(deps, webhook, messageOf(), NOW, 'main', true)).toBe(1_200);
    expect(await holdForRateLimit(deps, webhook, messageOf({ attempt: 2 }), NOW, 'slow')).toBe(1_200);
    expect(queued).toEqual([
      { message: messageOf({ listed: true }), delaySeconds: 2, lane: 'main' },
      { message: messageOf({ attempt: 2 }), delaySeconds: 2, lane: 'slow' },
    ]);
  });

  it('lets a delivery within its limit go on, queuing nothing', async () => {
    const { deps, queued } = recordingPorts({ rateWaitMs: 0 });
    expect(await holdForRateLimit(deps, webhookOf({ rate_limit: 2 }), messageOf(), NOW)).toBe(0);
    expect(queued).toEqual([]);
  });
});
