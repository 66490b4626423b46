import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_CHALLENGE_RETRY_SCHEDULE,
  parseChallengeMessage,
  parseChallengeRetrySchedule,
  parseDeliveryMessage,
} from '../src/index.js';

const message = {
  v: 1,
  kind: 'challenge',
  tenant_id: 'acme',
  webhook_id: 'wh_1',
  url: 'https://hooks.example.com/in',
  due_at: '2026-12-06T10:00:00.000Z',
  round: 1,
};

describe('challenge retry messages', () => {
  it('reads its own messages and nothing else; a delivery never reads one', () => {
    expect(parseChallengeMessage(JSON.stringify(message))).toEqual(message);
    expect(parseChallengeMessage(JSON.stringify({ ...message, round: 0 }))).toMatchObject({ round: 0 });
    expect(parseDeliveryMessage(JSON.stringify(message))).toBeUndefined();
    const delivery = { v: 1, tenant_id: 'acme', event_id: 'evt_1', webhook_id: 'wh_1', attempt: 1 };
    expect(parseChallengeMessage(JSON.stringify(delivery))).toBeUndefined();
    for (const broken of [
      { ...message, round: -1 },
      { ...message, round: 1.5 },
      { ...message, url: 5 },
      { ...message, tenant_id: 'a b' },
      { ...message, kind: 'delivery' },
    ]) {
      expect(parseChallengeMessage(JSON.stringify(broken))).toBeUndefined();
    }
    expect(parseChallengeMessage('not json')).toBeUndefined();
  });

  it('waits 1, 5 and 15 minutes by default, never longer than one SQS delay', () => {
    expect(parseChallengeRetrySchedule(DEFAULT_CHALLENGE_RETRY_SCHEDULE)).toEqual([60_000, 300_000, 900_000]);
    expect(parseChallengeRetrySchedule('1s,1h')).toEqual([1_000, 900_000]);
  });
});
