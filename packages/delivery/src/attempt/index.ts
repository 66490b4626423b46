export { EndpointSlots } from './endpoint-slots.js';
export { type LineRecord, type OrderedLineDeps, processLineBatch } from './ordered-line.js';
export type { Outcome } from './outcome.js';
export { processDelivery } from './process-delivery.js';
export { sendReturnedAgain } from './returned-message.js';
export { tellTenant } from './tell-tenant.js';
export type { WorkerDeps } from './worker-deps.js';
