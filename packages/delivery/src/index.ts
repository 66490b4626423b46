export * from './destination-guard.js';
export * from './http-sender.js';
export * from './signed-request.js';
