// The API's schemas, by concept (schemas/): what the package exports as `@hookrelay/api/schemas`.
export * from './schemas/common.js';
export * from './schemas/events.js';
export * from './schemas/portal.js';
export * from './schemas/stats.js';
export * from './schemas/system.js';
export * from './schemas/tenants.js';
export * from './schemas/webhook-view.js';
export * from './schemas/webhooks.js';
