/*
 * The delivery worker alone in a process of its own, behind the local event source mapping,
 * so a test can SIGKILL it in the middle of a batch. Its configuration is the environment
 * the platform gives every Lambda (table names, queue URLs, endpoints).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '@hookrelay/definitions';
import { asFunction, startEventSourceMapping } from '@hookrelay/local';

const { handler } = await import('@hookrelay/worker/handler');
const sqs = new SQSClient({
  endpoint: process.env.AWS_ENDPOINT_URL_SQS,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
// Both lanes, as the platform consumes them: an endpoint that turns slow moves to the second.
// Each call the worker makes is checked against its grants by the platform's IAM front.
const mappings = await Promise.all(
  [ENV.deliveryQueueUrl, ENV.slowQueueUrl].map((name) =>
    asFunction('worker', () =>
      startEventSourceMapping({
        sqs,
        queueUrl: process.env[name] ?? '',
        handler: handler as never,
        batchSize: 10,
        concurrency: 1,
        minimumConcurrency: 1,
        waitTimeSeconds: 1,
      }),
    ),
  ),
);
process.stdout.write('worker ready\n');
process.on('SIGTERM', () => {
  void Promise.all(mappings.map((m) => m.stop())).then(() => process.exit(0));
});
