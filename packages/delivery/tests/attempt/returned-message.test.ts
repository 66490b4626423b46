import type { DeliveryMessage, DeliveryQueue, Lane } from '@hookrelay/domain';
import { describe, expect, it } from '@jest/globals';
import { sendReturnedAgain } from '../../src/attempt/returned-message.js';

const message: DeliveryMessage = { v: 1, tenant_id: 't', event_id: 'evt_1', webhook_id: 'wh_1', attempt: 2 };

const recordingQueue = () => {
  const sent: { message: DeliveryMessage; delaySeconds: number; lane?: Lane }[] = [];
  const queue: DeliveryQueue = {
    send: async (messages) => {
      sent.push(...messages);
    },
    deadLetter: async () => undefined,
  };
  return { sent, queue };
};

describe('sendReturnedAgain', () => {
  it('lets a message taken for the first time go on to its attempt, sending nothing', async () => {
    const { sent, queue } = recordingQueue();
    expect(await sendReturnedAgain({ queue }, message, 1, 'main', 5)).toBeUndefined();
    expect(sent).toHaveLength(0);
  });

  it('sends a message that came back again at once, on its lane, counting the return in the message', async () => {
    const { sent, queue } = recordingQueue();
    expect(await sendReturnedAgain({ queue }, message, 2, 'slow', 5)).toEqual({
      kind: 'deferred',
      delayMs: 0,
    });
    expect(sent).toEqual([{ message: { ...message, returns: 1 }, delaySeconds: 0, lane: 'slow' }]);
    // However many receives the queue counted, the message counts one return more than it had.
    await sendReturnedAgain({ queue }, { ...message, returns: 3 }, 4, 'main', 5);
    expect(sent[1]).toEqual({ message: { ...message, returns: 4 }, delaySeconds: 0, lane: 'main' });
  });

  it('leaves a message that came back more often than the limit to the queue and its redrive', async () => {
    const { sent, queue } = recordingQueue();
    expect(await sendReturnedAgain({ queue }, { ...message, returns: 4 }, 2, 'main', 5)).toEqual({
      kind: 'deferred',
      delayMs: 0,
    });
    expect(await sendReturnedAgain({ queue }, { ...message, returns: 5 }, 2, 'main', 5)).toBeUndefined();
    expect(sent).toHaveLength(1);
  });
});
