/*
 * The delivery worker alone in a process of its own, behind the local event source mapping,
 * so a test can SIGKILL it in the middle of a batch. Its configuration is the environment
 * the platform gives every Lambda (table names, queue URLs, endpoints).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { ENV } from '@hookrelay/definitions';
import { startEventSourceMapping } from '@hookrelay/local';

const { handler } = await import('@hookrelay/worker/handler');
const sqs = new SQSClient({
  endpoint: process.env.AWS_ENDPOINT_URL_SQS,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const mapping = await startEventSourceMapping({
  sqs,
  queueUrl: process.env[ENV.deliveryQueueUrl] ?? '',
  handler: handler as never,
  batchSize: 10,
  concurrency: 1,
  waitTimeSeconds: 1,
});
process.stdout.write('worker ready\n');
process.on('SIGTERM', () => {
  void mapping.stop().then(() => process.exit(0));
});
