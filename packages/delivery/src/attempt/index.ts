export { EndpointSlots } from './endpoint-slots.js';
export {
  type InvocationTime,
  type LineBatchReport,
  type LineHold,
  type LineLog,
  type LineRecord,
  type OrderedLineDeps,
  processLineBatch,
  type Turn,
} from './ordered-line.js';
export type { Outcome } from './outcome.js';
export { processDelivery } from './process-delivery.js';
export { sendReturnedAgain } from './returned-message.js';
export { type AttemptReport, type NoticeDeps, tellTenant } from './tell-tenant.js';
export type { WorkerDeps, WorkerNoticeDeps } from './worker-deps.js';
