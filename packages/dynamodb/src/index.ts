export * from './client.js';
export * from './cursor.js';
export * from './dynamodb-event-store.js';
export * from './dynamodb-key-store.js';
export * from './dynamodb-receiver-state.js';
export * from './dynamodb-secret-store.js';
export * from './dynamodb-tenant-store.js';
export * from './dynamodb-webhook-store.js';
export { isConditionFailure } from './expressions.js';
