import { inboundBus, resourceName } from '@hookrelay/definitions';

/** One message as fauxqs's inspection endpoint shows it (nothing received, nothing hidden). */
interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentTimestamp?: number;
  readonly approximateReceiveCount?: number;
  readonly messageGroupId?: string;
}

interface Inspection {
  readonly name: string;
  readonly messages: {
    readonly ready: QueuedMessage[];
    readonly delayed: QueuedMessage[];
    readonly inflight: { readonly message: QueuedMessage }[];
  };
}

interface QueueSummary {
  readonly name: string;
  readonly approximateMessageCount: number;
  readonly approximateInflightCount: number;
  readonly approximateDelayedCount: number;
}

/** A message of a queue with the state it is in: ready, delayed, or held by a consumer. */
type PeekedMessage = QueuedMessage & { readonly state: 'ready' | 'delayed' | 'in flight' };

const getJson = async <T>(url: string): Promise<T> => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
};

/** The queues of the local engine (fauxqs `GET /_fauxqs/queues`), with their counts. */
export const listLocalQueues = (sqsEndpoint: string): Promise<QueueSummary[]> =>
  getJson<QueueSummary[]>(new URL('/_fauxqs/queues', sqsEndpoint).toString());

/**
 * Which queue `wanted` names for the stage: a queue's full name, or a part of it
 * (`deliveries-dlq`, `inbound-github-events`) that one queue of the stage alone contains.
 */
export const resolveQueueName = (names: readonly string[], stage: string, wanted: string): string => {
  if (names.includes(wanted)) return wanted;
  const ofStage = names.filter((n) => n.endsWith(`-${stage}`) || n.endsWith(`-${stage}.fifo`));
  const exact = ofStage.filter((n) => n.replace(/\.fifo$/, '').endsWith(`${wanted}-${stage}`));
  const matches = exact.length > 0 ? exact : ofStage.filter((n) => n.includes(wanted));
  if (matches.length === 1 && matches[0]) return matches[0];
  throw new Error(
    matches.length === 0
      ? `No queue of stage "${stage}" is named like "${wanted}". Queues: ${ofStage.join(', ') || 'none'}`
      : `"${wanted}" names ${matches.length} queues: ${matches.join(', ')}; say which.`,
  );
};

/**
 * Every message of one queue of the local engine, without receiving any: no receive count
 * goes up, no visibility changes, a consumer holding one keeps it.
 *
 * @example
 * await peekLocalQueue('http://127.0.0.1:4566', 'hookrelay-webhook-deliveries-local')
 * // [{ messageId, body, state: 'ready', ... }]
 */
export const peekLocalQueue = async (sqsEndpoint: string, name: string): Promise<PeekedMessage[]> => {
  const q = await getJson<Inspection>(
    new URL(`/_fauxqs/queues/${encodeURIComponent(name)}`, sqsEndpoint).toString(),
  );
  return [
    ...q.messages.ready.map((m) => ({ ...m, state: 'ready' as const })),
    ...q.messages.delayed.map((m) => ({ ...m, state: 'delayed' as const })),
    ...q.messages.inflight.map((m) => ({ ...m.message, state: 'in flight' as const })),
  ];
};

/** The queues the local bus's rules deliver to, one per provider. */
const busTargetQueues = (stage: string): string[] =>
  inboundBus.rules.map((rule) => resourceName(rule.queueBaseName, stage));

/**
 * What the local bus routed: each new message of the rules' target queues, once, as it
 * appears, until `signal` aborts. Nothing is consumed, so a tenant's own consumer is not
 * disturbed. The first call prints what is there already.
 */
export const followBus = async (
  sqsEndpoint: string,
  stage: string,
  onRouted: (entry: { queue: string; message: PeekedMessage }) => void,
  options: { intervalMs?: number; signal?: AbortSignal } = {},
): Promise<void> => {
  const seen = new Set<string>();
  const queues = busTargetQueues(stage);
  while (!options.signal?.aborted) {
    for (const queue of queues) {
      const messages = await peekLocalQueue(sqsEndpoint, queue).catch(() => []);
      for (const message of messages.sort((a, b) => (a.sentTimestamp ?? 0) - (b.sentTimestamp ?? 0))) {
        if (seen.has(message.messageId)) continue;
        seen.add(message.messageId);
        onRouted({ queue, message });
      }
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 1000));
  }
};
