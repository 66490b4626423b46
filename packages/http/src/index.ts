export * from './http-errors.js';
export * from './principal.js';
export * from './responses.js';
