import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from '@jest/globals';
import { decideReadable, requeueDeduplicationId, requeueFifoDeadLetters } from '../src/fifo-dead-letters.js';

const message = (id: string, group: string, body = `{"id":"${id}"}`): Message => ({
  MessageId: id,
  ReceiptHandle: `r_${id}`,
  Body: body,
  Attributes: { MessageGroupId: group },
});

/**
 * SQS as a FIFO DLQ answers when a receive returns several messages of one group at once: the
 * local emulator hands out one message of a group per receive, so this path needs a stand-in.
 */
const scriptedSqs = (batches: Message[][], refuseSendOf?: string) => {
  const sent: { body: string; group: string; dedup: string }[] = [];
  const deleted: string[] = [];
  const released: string[] = [];
  const sqs = {
    send: async (command: unknown) => {
      if (command instanceof ReceiveMessageCommand) return { Messages: batches.shift() ?? [] };
      if (command instanceof SendMessageCommand) {
        const { MessageBody, MessageGroupId, MessageDeduplicationId } = command.input;
        if (MessageBody?.includes(`"${refuseSendOf}"`)) throw new Error('throttled');
        sent.push({
          body: MessageBody ?? '',
          group: MessageGroupId ?? '',
          dedup: MessageDeduplicationId ?? '',
        });
        return {};
      }
      if (command instanceof DeleteMessageCommand) {
        deleted.push(command.input.ReceiptHandle ?? '');
        return {};
      }
      if (command instanceof ChangeMessageVisibilityBatchCommand) {
        released.push(...(command.input.Entries ?? []).map((e) => e.ReceiptHandle ?? ''));
        return { Failed: [] };
      }
      throw new Error('unexpected command');
    },
  } as unknown as SQSClient;
  return { sqs, sent, deleted, released };
};

describe('requeueFifoDeadLetters', () => {
  it('sends each message back in its group, in the order received, with a deduplication id of its own', async () => {
    const sqs = scriptedSqs([[message('a1', 'A'), message('b1', 'B'), message('a2', 'A')]]);
    const result = await requeueFifoDeadLetters(
      { sqs: sqs.sqs, dlqUrl: 'dlq', queueUrl: 'line', decide: async () => 'requeue' },
      { waitTimeSeconds: 0 },
    );
    expect(result).toEqual({ requeued: 3, failed: 0 });
    expect(sqs.sent.map((s) => [JSON.parse(s.body).id, s.group])).toEqual([
      ['a1', 'A'],
      ['b1', 'B'],
      ['a2', 'A'],
    ]);
    expect(sqs.sent[0]?.dedup).toBe(requeueDeduplicationId('a1'));
    expect(new Set(sqs.sent.map((s) => s.dedup)).size).toBe(3);
    expect(sqs.deleted).toEqual(['r_a1', 'r_b1', 'r_a2']);
  });

  it('keeps the rest of a group behind a message that stays, and goes on with the other groups', async () => {
    const sqs = scriptedSqs(
      [[message('a1', 'A'), message('a2', 'A'), message('b1', 'B'), message('a3', 'A')]],
      'a1',
    );
    const failures: string[] = [];
    const result = await requeueFifoDeadLetters(
      { sqs: sqs.sqs, dlqUrl: 'dlq', queueUrl: 'line', decide: async () => 'requeue' },
      { waitTimeSeconds: 0, onFailure: ({ message_id }) => failures.push(message_id) },
    );
    expect(result).toEqual({ requeued: 1, failed: 3 });
    expect(sqs.sent.map((s) => JSON.parse(s.body).id)).toEqual(['b1']);
    expect(failures).toEqual(['a1', 'a2', 'a3']);
    expect(sqs.deleted).toEqual(['r_b1']);
    // Visible again when the run ends, for a peek or the next requeue.
    expect(sqs.released.sort()).toEqual(['r_a1', 'r_a2', 'r_a3']);
  });

  it('deletes a message its decision drops, without a send, counted in neither number', async () => {
    const sqs = scriptedSqs([[message('a1', 'A'), message('a2', 'A')]]);
    const result = await requeueFifoDeadLetters(
      {
        sqs: sqs.sqs,
        dlqUrl: 'dlq',
        queueUrl: 'line',
        decide: async (m) => (m.MessageId === 'a1' ? 'drop' : 'requeue'),
      },
      { waitTimeSeconds: 0 },
    );
    expect(result).toEqual({ requeued: 1, failed: 0 });
    expect(sqs.sent.map((s) => JSON.parse(s.body).id)).toEqual(['a2']);
    expect(sqs.deleted).toEqual(['r_a1', 'r_a2']);
  });
});

describe('decideReadable', () => {
  const readId = (body: string): { id: string } | undefined => {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' ? { id: parsed.id } : undefined;
  };

  it('requeues a dead letter whose body reads, unless told otherwise', async () => {
    expect(await decideReadable('an id', readId)(message('a1', 'A'))).toBe('requeue');
    const dropA1 = decideReadable('an id', readId, async (m) => (m.id === 'a1' ? 'drop' : 'requeue'));
    expect(await dropA1(message('a1', 'A'))).toBe('drop');
    expect(await dropA1(message('a2', 'A'))).toBe('requeue');
  });

  it('fails a dead letter whose body does not read, saying what it is not, so it stays in the DLQ', async () => {
    const sqs = scriptedSqs([[message('a1', 'A', '{"other":1}'), message('b1', 'B')]]);
    const failures: string[] = [];
    const result = await requeueFifoDeadLetters(
      { sqs: sqs.sqs, dlqUrl: 'dlq', queueUrl: 'line', decide: decideReadable('an id', readId) },
      { waitTimeSeconds: 0, onFailure: ({ message_id, error }) => failures.push(`${message_id}: ${error}`) },
    );
    expect(result).toEqual({ requeued: 1, failed: 1 });
    expect(failures).toEqual(['a1: Error: not an id']);
    expect(sqs.deleted).toEqual(['r_b1']);
  });
});
