export * from './dead-letters.js';
export * from './sqs-delivery-queue.js';
