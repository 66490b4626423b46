export * from './dynamodb-inbound-request-store.js';
export * from './dynamodb-source-store.js';
export * from './eventbridge-bus.js';
export * from './inbound-stores.js';
export * from './s3-archive.js';
export * from './sqs-inbound-queue.js';
