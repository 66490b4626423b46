export * from './dead-letters.js';
export * from './fifo-dead-letters.js';
export * from './ordered-dead-letters.js';
export * from './sqs-delivery-queue.js';
export * from './sqs-line-hold.js';
