export * from './dynamodb-local.js';
export * from './engines.js';
export * from './event-source-mapping.js';
export * from './gateway.js';
export * from './lambda-context.js';
export * from './platform.js';
export * from './provision.js';
export * from './seed.js';
