import { ChangeMessageVisibilityBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { fifoQueueName, inboundQueues, lanes, queueList, queueNameOf } from '@hookrelay/definitions';
import type { PlatformEngines } from './engines.js';
import { createInboundQueues, type InboundQueueUrls } from './inbound-provision.js';
import type { PlatformOptions } from './platform-options.js';
import { createQueues } from './provision.js';

/** Makes the messages behind `handles` visible after `visibilityTimeout` seconds, ten a request. */
const releaseHeld = async (
  sqs: SQSClient,
  queueUrl: string | undefined,
  handles: readonly string[],
  visibilityTimeout: number,
): Promise<void> => {
  for (let i = 0; queueUrl && i < handles.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: handles
          .slice(i, i + 10)
          .map((h, j) => ({ Id: String(j), ReceiptHandle: h, VisibilityTimeout: visibilityTimeout })),
      }),
    );
  }
};

/**
 * The stage's delivery and inbound queues, from the shared definitions, with the visibility
 * timeouts the options ask for. This process owns its fauxqs and no worker has run yet, so
 * whatever its data says is in flight was held by a platform that was killed. As on AWS, it
 * comes back once its visibility timeout has passed; asked to (`releaseHeldOnStart`), it is
 * released now.
 */
export const provisionPlatformQueues = async (
  sqs: SQSClient,
  stage: string,
  engines: PlatformEngines,
  options: Pick<
    PlatformOptions,
    'visibilityTimeoutSeconds' | 'inboundVisibilityTimeoutSeconds' | 'releaseHeldOnStart' | 'deliveryLanes'
  >,
  log: (entry: Record<string, unknown>) => void,
): Promise<{ readonly queueUrls: Record<string, string>; readonly inboundQueueUrls: InboundQueueUrls }> => {
  const laneVisibility: Record<string, number> = {};
  for (const lane of Object.values(lanes)) {
    if (options.visibilityTimeoutSeconds !== undefined)
      laneVisibility[lane.queue] = options.visibilityTimeoutSeconds;
  }
  const queueUrls = await createQueues(
    sqs,
    stage,
    engines.sqsEndpoint,
    laneVisibility,
    options.deliveryLanes,
  );
  const release = options.releaseHeldOnStart === true ? engines.orphaned : undefined;
  for (const queue of release ? queueList : []) {
    const handles = release?.(queueNameOf(queue, stage)) ?? [];
    await releaseHeld(sqs, queueUrls[queue.id], handles, 1);
    if (handles.length > 0) {
      log({
        service: 'platform',
        message: 'released messages a stopped platform held',
        queue: queue.baseName,
        count: handles.length,
      });
    }
  }
  const inboundQueueUrls = await createInboundQueues(
    sqs,
    stage,
    engines.sqsEndpoint,
    options.inboundVisibilityTimeoutSeconds !== undefined
      ? { [inboundQueues.fifo.id]: options.inboundVisibilityTimeoutSeconds }
      : {},
  );
  // The same for the inbound FIFO queue: a restart resumes its groups at once.
  if (release)
    await releaseHeld(sqs, inboundQueueUrls.fifo, release(fifoQueueName(inboundQueues.fifo, stage)), 0);
  return { queueUrls, inboundQueueUrls };
};
