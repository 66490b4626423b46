export * from './authenticating-sender.js';
export * from './destination-guard.js';
export * from './http-sender.js';
export * from './oauth-token.js';
export * from './ownership-challenge.js';
export * from './retry-challenge.js';
export * from './signed-request.js';
